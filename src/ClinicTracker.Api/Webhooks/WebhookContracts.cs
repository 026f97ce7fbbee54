using System.ComponentModel.DataAnnotations;
using ClinicTracker.Core.Webhooks;

namespace ClinicTracker.Api.Webhooks;

/// <summary>A new webhook subscription (docs/integrators.md, Webhooks).</summary>
public sealed record CreateWebhookSubscriptionRequest
{
    /// <summary>The receiver: an absolute https URL (http only where Webhooks:RequireHttps is off), at most 2000 characters, on a public address unless configured otherwise.</summary>
    [Required]
    public string? Url { get; init; }

    /// <summary>The events to receive: one or more of safety-flag.opened, session.missed, dose.recorded, dose.voided.</summary>
    [Required]
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>Only events of these sites (domain.md §14); omitted or empty: every site.</summary>
    public IReadOnlyList<Guid>? SiteIds { get; init; }

    /// <summary>A note for admins (the integrator, a ticket), at most 200 characters.</summary>
    public string? Description { get; init; }

    /// <summary>Whether events are delivered (default true).</summary>
    public bool? Active { get; init; }
}

/// <summary>A partial change of a subscription: only the fields sent are changed. An empty siteIds means every site.</summary>
public sealed record UpdateWebhookSubscriptionRequest
{
    /// <summary>New receiver URL.</summary>
    public string? Url { get; init; }

    /// <summary>New event types (replaces the list).</summary>
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>New site list (replaces it); empty: every site.</summary>
    public IReadOnlyList<Guid>? SiteIds { get; init; }

    /// <summary>New note.</summary>
    public string? Description { get; init; }

    /// <summary>False: nothing more is delivered (pending deliveries fail as subscription-inactive); true: delivery resumes for new events.</summary>
    public bool? Active { get; init; }
}

/// <summary>A webhook subscription.</summary>
/// <param name="Id">The subscription's id.</param>
/// <param name="Url">The receiver.</param>
/// <param name="Description">The admins' note.</param>
/// <param name="EventTypes">The subscribed event types.</param>
/// <param name="SiteIds">The sites whose events it receives; null: every site.</param>
/// <param name="Active">Whether events are delivered.</param>
/// <param name="Secret">The signing secret (whsec_…): only in the answer to create and rotate-secret, null otherwise. Keep it as a password.</param>
/// <param name="CreatedAt">When it was made (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
/// <param name="Version">Concurrency version (the ETag).</param>
public sealed record WebhookSubscriptionResponse(
    Guid Id, string Url, string? Description, IReadOnlyList<string> EventTypes, IReadOnlyList<Guid>? SiteIds, bool Active, string? Secret,
    DateTime CreatedAt, DateTime UpdatedAt, int Version)
{
    internal static WebhookSubscriptionResponse From(WebhookSubscription s, bool withSecret = false) =>
        new(s.Id, s.Url, s.Description, s.Types, s.Sites, s.Active, withSecret ? s.Secret : null, s.CreatedAt, s.UpdatedAt, s.Version);
}

/// <summary>One event's delivery to one subscription.</summary>
/// <param name="Id">The delivery's id.</param>
/// <param name="SubscriptionId">The subscription.</param>
/// <param name="EventId">The event: the webhook-id header of every attempt.</param>
/// <param name="EventType">The event's type.</param>
/// <param name="Status">pending, delivered or failed.</param>
/// <param name="Attempts">Attempts made, all rounds.</param>
/// <param name="NextAttemptAt">When the next attempt is due (UTC); null unless pending.</param>
/// <param name="LastAttemptAt">When the last attempt was made (UTC).</param>
/// <param name="LastStatusCode">The receiver's last HTTP status; null when none answered.</param>
/// <param name="LastError">The last failure's class (http-500, timeout, connection-…, tls, dns, blocked-address, subscription-inactive); null after a success.</param>
/// <param name="DeliveredAt">When a receiver answered 2xx (UTC).</param>
/// <param name="CreatedAt">When the event was dispatched to the subscription (UTC).</param>
public sealed record WebhookDeliveryResponse(
    Guid Id, Guid SubscriptionId, Guid EventId, string EventType, WebhookDeliveryStatus Status, int Attempts, DateTime? NextAttemptAt,
    DateTime? LastAttemptAt, int? LastStatusCode, string? LastError, DateTime? DeliveredAt, DateTime CreatedAt)
{
    internal static WebhookDeliveryResponse From(WebhookDelivery d) =>
        new(d.Id, d.SubscriptionId, d.EventId, d.EventType, d.Status, d.Attempts, d.NextAttemptAt, d.LastAttemptAt, d.LastStatusCode,
            d.LastError, d.DeliveredAt, d.CreatedAt);
}

/// <summary>A delivery with its attempt log and the exact body it sends (ids only, as every receiver gets it).</summary>
/// <param name="Delivery">The delivery.</param>
/// <param name="Payload">The signed JSON body.</param>
/// <param name="Log">Every attempt, oldest first.</param>
public sealed record WebhookDeliveryDetailResponse(WebhookDeliveryResponse Delivery, string Payload, IReadOnlyList<WebhookAttemptResponse> Log);

/// <summary>One attempt of a delivery.</summary>
/// <param name="Number">1, 2, … across all rounds.</param>
/// <param name="AttemptedAt">When it started (UTC).</param>
/// <param name="DurationMs">How long it took, in milliseconds.</param>
/// <param name="StatusCode">The receiver's HTTP status; null when none answered.</param>
/// <param name="Error">Null on success; otherwise the failure's class.</param>
public sealed record WebhookAttemptResponse(int Number, DateTime AttemptedAt, int DurationMs, int? StatusCode, string? Error);
