namespace ClinicTracker.Core.Webhooks;

/// <summary>
/// One event for integrators, written in the same transaction as the change it reports (the transactional outbox,
/// ADR 0021): it exists exactly when the change was committed. The delivery worker fans it out to the matching
/// subscriptions once (<see cref="DispatchedAt"/>). The payload carries ids only, never names, MRNs or dates of birth.
/// </summary>
public sealed class OutboxEvent
{
    private OutboxEvent()
    {
    }

    /// <summary>The event id; the <c>webhook-id</c> header of every delivery of it, stable across retries (receivers de-duplicate on it).</summary>
    public Guid Id { get; private set; }

    /// <summary>One of <see cref="WebhookEventTypes"/>.</summary>
    public string Type { get; private set; } = "";

    /// <summary>When the reported change happened (UTC): the dose's recording, the flag's opening, the missed window's close.</summary>
    public DateTime OccurredAt { get; private set; }

    /// <summary>When the row was written (UTC).</summary>
    public DateTime CreatedAt { get; private set; }

    /// <summary>The site the event belongs to (domain.md §14), for subscriptions limited to sites; null for a ping.</summary>
    public Guid? SiteId { get; private set; }

    /// <summary>The exact JSON body every delivery sends (signed as is, so it never changes between attempts).</summary>
    public string Payload { get; private set; } = "";

    /// <summary>When a worker created its deliveries; null until then.</summary>
    public DateTime? DispatchedAt { get; private set; }

    internal static OutboxEvent Create(Guid id, string type, DateTime occurredAt, DateTime nowUtc, Guid? siteId, string payload, bool dispatched = false) =>
        new()
        {
            Id = id,
            Type = type,
            OccurredAt = occurredAt,
            CreatedAt = nowUtc,
            SiteId = siteId,
            Payload = payload,
            DispatchedAt = dispatched ? nowUtc : null,
        };
}
