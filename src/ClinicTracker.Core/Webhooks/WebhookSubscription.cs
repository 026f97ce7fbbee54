using System.Security.Cryptography;

namespace ClinicTracker.Core.Webhooks;

/// <summary>
/// An integrator's subscription (ADR 0021): a clinic-wide admin object (like the staff register, ADR 0015), that may be
/// limited to some sites — an event is delivered when its type is subscribed and its site is one of the subscription's
/// (or the subscription names none). Deactivated, never deleted: its delivery log stays.
/// </summary>
public sealed class WebhookSubscription
{
    /// <summary>The Standard Webhooks secret prefix; the rest is the base64 of <see cref="SecretBytes"/> random bytes.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>256 bits: the HMAC-SHA256 key length (the spec asks for 24 to 64 bytes).</summary>
    public const int SecretBytes = 32;

    private WebhookSubscription()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Where events are POSTed (checked against the URL policy when set and again at every connection).</summary>
    public string Url { get; private set; } = "";

    /// <summary>What the admin wrote about it (the integrator's name, a ticket), at most 200 characters.</summary>
    public string? Description { get; private set; }

    /// <summary>The subscribed types, comma-separated in <see cref="WebhookEventTypes.Subscribable"/> order.</summary>
    public string EventTypes { get; private set; } = "";

    /// <summary>The sites whose events it receives, comma-separated; null: every site.</summary>
    public string? SiteIds { get; private set; }

    /// <summary>The signing secret (<c>whsec_…</c>), made here; the API shows it when the subscription is created or the secret rotated.</summary>
    public string Secret { get; private set; } = "";

    public bool Active { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public DateTime UpdatedAt { get; private set; }

    public string UpdatedBy { get; private set; } = "";

    public int Version { get; private set; }

    public IReadOnlyList<string> Types => [.. EventTypes.Split(',', StringSplitOptions.RemoveEmptyEntries)];

    public IReadOnlyList<Guid>? Sites => SiteIds is null ? null : [.. SiteIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse)];

    public static WebhookSubscription Create(
        string url, IEnumerable<string> eventTypes, IEnumerable<Guid>? siteIds, string? description, bool active, string actor, DateTime nowUtc)
    {
        var subscription = new WebhookSubscription { Id = Guid.CreateVersion7(), Secret = NewSecret(), CreatedAt = nowUtc, CreatedBy = actor, Version = 1 };
        subscription.Apply(url, eventTypes, siteIds, description, active, actor, nowUtc);
        return subscription;
    }

    /// <summary>Applies the fields a PATCH names (null leaves a field as it is; an empty site list means every site).</summary>
    public void Change(string? url, IEnumerable<string>? eventTypes, IEnumerable<Guid>? siteIds, string? description, bool? active, string actor, DateTime nowUtc)
    {
        Apply(url ?? Url, eventTypes ?? Types, siteIds is null ? Sites : siteIds, description ?? Description, active ?? Active, actor, nowUtc);
        Version++;
    }

    /// <summary>Replaces the secret; deliveries from now on are signed with the new one.</summary>
    public void RotateSecret(string actor, DateTime nowUtc)
    {
        Secret = NewSecret();
        UpdatedAt = nowUtc;
        UpdatedBy = actor;
        Version++;
    }

    /// <summary>
    /// Whether an event is for this subscription: active, of a subscribed type and site, and written after the
    /// subscription was made (a new subscription gets no backlog; a window that closed before it but is noticed after
    /// it, within Webhooks:MissedLookbackDays, is news to it).
    /// </summary>
    public bool Wants(OutboxEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return Active && e.CreatedAt >= CreatedAt && Types.Contains(e.Type, StringComparer.Ordinal) &&
            (SiteIds is null || (e.SiteId is { } site && Sites!.Contains(site)));
    }

    private void Apply(string url, IEnumerable<string> eventTypes, IEnumerable<Guid>? siteIds, string? description, bool active, string actor, DateTime nowUtc)
    {
        var types = eventTypes.ToHashSet(StringComparer.Ordinal);
        Url = url;
        EventTypes = string.Join(',', WebhookEventTypes.Subscribable.Where(types.Contains));
        var sites = siteIds?.Distinct().Order().ToList();
        SiteIds = sites is null || sites.Count == 0 ? null : string.Join(',', sites);
        Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        Active = active;
        UpdatedAt = nowUtc;
        UpdatedBy = actor;
    }

    private static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));
}
