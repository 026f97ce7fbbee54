namespace ClinicTracker.Core.Webhooks;

/// <summary>The event types integrators subscribe to (ADR 0021; docs/integrators.md, Webhooks). The strings are the contract.</summary>
public static class WebhookEventTypes
{
    /// <summary>A safety flag was opened (domain.md §7: PHQ-9 item 9 above 0).</summary>
    public const string SafetyFlagOpened = "safety-flag.opened";

    /// <summary>A plan's due window closed with no completed session in it (domain.md §10 rule 4, as of that day).</summary>
    public const string SessionMissed = "session.missed";

    /// <summary>A dose was recorded.</summary>
    public const string DoseRecorded = "dose.recorded";

    /// <summary>A dose was marked entered-in-error.</summary>
    public const string DoseVoided = "dose.voided";

    /// <summary>A test event an admin sends to one subscription; never fanned out.</summary>
    public const string Ping = "webhook.ping";

    /// <summary>The types a subscription may name, in the documented order.</summary>
    public static readonly IReadOnlyList<string> Subscribable = [SafetyFlagOpened, SessionMissed, DoseRecorded, DoseVoided];
}
