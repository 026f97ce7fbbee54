namespace ClinicTracker.Core.Webhooks;

/// <summary>Where one event stands with one subscription.</summary>
public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its next attempt (<see cref="WebhookDelivery.NextAttemptAt"/>).</summary>
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>Every attempt of the round failed, or the subscription was deactivated; an admin may redeliver it.</summary>
    Failed,
}

/// <summary>
/// One event for one subscription (ADR 0021): made once per pair (a unique key) when the event is dispatched, then
/// attempted until the receiver answers 2xx or the round's attempts are spent. Every change is written over
/// <see cref="Version"/>; a worker sends only while it holds the lease it claimed, so two instances never send the
/// same attempt at once.
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery()
    {
    }

    /// <summary>Version-7: the delivery log lists newest first by it.</summary>
    public Guid Id { get; private set; }

    public Guid SubscriptionId { get; private set; }

    public Guid EventId { get; private set; }

    /// <summary>The event's type (copied so the log filters without a join).</summary>
    public string EventType { get; private set; } = "";

    public WebhookDeliveryStatus Status { get; private set; }

    /// <summary>Attempts made so far, all rounds (the attempt log numbers them 1, 2, …).</summary>
    public int Attempts { get; private set; }

    /// <summary>Attempts before the current round (0 until an admin redelivers): the backoff and the limit count from here.</summary>
    public int RoundStartedAfter { get; private set; }

    /// <summary>When the next attempt is due (UTC); null once delivered or failed.</summary>
    public DateTime? NextAttemptAt { get; private set; }

    /// <summary>The instance sending it now; null between attempts.</summary>
    public string? LeaseOwner { get; private set; }

    /// <summary>Until when that instance holds it; another may take it over only after this (it crashed mid-send).</summary>
    public DateTime? LeaseExpiresAt { get; private set; }

    public DateTime? LastAttemptAt { get; private set; }

    /// <summary>The receiver's last HTTP status; null when no response came.</summary>
    public int? LastStatusCode { get; private set; }

    /// <summary>What went wrong last, as a class (<c>http-500</c>, <c>timeout</c>, <c>connection</c>…): never a response body.</summary>
    public string? LastError { get; private set; }

    public DateTime? DeliveredAt { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public long Version { get; private set; }

    public static WebhookDelivery For(Guid subscriptionId, OutboxEvent e, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new WebhookDelivery
        {
            Id = Guid.CreateVersion7(),
            SubscriptionId = subscriptionId,
            EventId = e.Id,
            EventType = e.Type,
            Status = WebhookDeliveryStatus.Pending,
            NextAttemptAt = nowUtc,
            CreatedAt = nowUtc,
            Version = 1,
        };
    }

    /// <summary>Starts a new round of attempts now (an admin's redelivery); refused while one is under way.</summary>
    public Common.RuleViolation? Redeliver(DateTime nowUtc)
    {
        if (Status == WebhookDeliveryStatus.Pending)
        {
            return new Common.RuleViolation(Common.ViolationKind.Conflict, "webhook.delivery-pending",
                "The delivery is still being attempted.", "Only a delivered or failed delivery can be sent again; this one has attempts left.");
        }

        Status = WebhookDeliveryStatus.Pending;
        RoundStartedAfter = Attempts;
        NextAttemptAt = nowUtc;
        LeaseOwner = null;
        LeaseExpiresAt = null;
        Version++;
        return null;
    }
}

/// <summary>
/// One attempt of a delivery, for the delivery log: when, how long, what came back. No request or response body, no
/// header values: the log holds nothing of the record beyond ids.
/// </summary>
public sealed class WebhookAttempt
{
    private WebhookAttempt()
    {
    }

    public Guid Id { get; private set; }

    public Guid DeliveryId { get; private set; }

    /// <summary>1, 2, … across all rounds of the delivery (unique per delivery).</summary>
    public int Number { get; private set; }

    public DateTime AttemptedAt { get; private set; }

    public int DurationMs { get; private set; }

    /// <summary>The receiver's HTTP status; null when none came (timeout, refused connection, blocked address).</summary>
    public int? StatusCode { get; private set; }

    /// <summary>Null on success; otherwise the class of failure (see <see cref="WebhookDelivery.LastError"/>).</summary>
    public string? Error { get; private set; }

    public static WebhookAttempt Record(Guid deliveryId, int number, DateTime attemptedAt, int durationMs, int? statusCode, string? error) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            DeliveryId = deliveryId,
            Number = number,
            AttemptedAt = attemptedAt,
            DurationMs = durationMs,
            StatusCode = statusCode,
            Error = error,
        };
}
