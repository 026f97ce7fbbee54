using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ClinicTracker.Core.Adherence;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Outcomes;

namespace ClinicTracker.Core.Webhooks;

/// <summary>
/// The events' bodies (docs/integrators.md, Webhooks): <c>{ "id", "type", "timestamp", "data" }</c>, the Standard Webhooks
/// envelope, with ids and codes only in <c>data</c> — what an integrator needs to fetch the record through the API it
/// is allowed to read, and nothing that identifies a patient on its own.
/// </summary>
public static class WebhookEvent
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static OutboxEvent DoseRecorded(DoseEntry dose, Guid siteId, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(dose);
        return Create(Guid.CreateVersion7(), WebhookEventTypes.DoseRecorded, nowUtc, nowUtc, siteId, new DoseData(
            dose.Id, dose.SessionId, dose.PatientId, siteId, EnumNames.Kebab(dose.Medication), EnumNames.Kebab(dose.Route),
            Amounts.ToMg(dose.AmountUg), dose.AdministeredAt, dose.ReplacesDoseId, null));
    }

    public static OutboxEvent DoseVoided(DoseEntry dose, Guid siteId, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(dose);
        return Create(Guid.CreateVersion7(), WebhookEventTypes.DoseVoided, nowUtc, nowUtc, siteId, new DoseData(
            dose.Id, dose.SessionId, dose.PatientId, siteId, EnumNames.Kebab(dose.Medication), EnumNames.Kebab(dose.Route),
            Amounts.ToMg(dose.AmountUg), dose.AdministeredAt, dose.ReplacesDoseId, nowUtc));
    }

    public static OutboxEvent SafetyFlagOpened(SafetyFlag flag, Guid siteId, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(flag);
        return Create(Guid.CreateVersion7(), WebhookEventTypes.SafetyFlagOpened, flag.RaisedAt, nowUtc, siteId,
            new SafetyFlagData(flag.Id, flag.PatientId, flag.AssessmentId, siteId, flag.Reason));
    }

    /// <summary>
    /// A due window that closed with no completed session (domain.md §10 rule 4). The id is derived from the plan and
    /// the due date, so every instance that notices the same miss writes the same row and the key keeps one.
    /// </summary>
    public static OutboxEvent SessionMissed(MissedWindow missed, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(missed);
        return Create(MissedEventId(missed.PlanId, missed.DueDate), WebhookEventTypes.SessionMissed, missed.ClosedAtUtc, nowUtc, missed.SiteId,
            new MissedData(missed.PlanId, missed.PatientId, missed.SiteId, missed.DueDate, missed.WindowStart, missed.WindowEnd,
                EnumNames.Kebab(missed.Reason), missed.SessionId));
    }

    /// <summary>A test event for one subscription, already dispatched (it is never fanned out).</summary>
    public static OutboxEvent Ping(Guid subscriptionId, DateTime nowUtc) =>
        Create(Guid.CreateVersion7(), WebhookEventTypes.Ping, nowUtc, nowUtc, null, new PingData(subscriptionId), dispatched: true);

    /// <summary>
    /// The event id of a plan's missed due date: a version-8 (custom) UUID made of the first 16 bytes of
    /// SHA-256("session.missed:{planId}:{yyyy-MM-dd}") — the same on every instance, different for every plan and date.
    /// </summary>
    public static Guid MissedEventId(Guid planId, DateOnly dueDate)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{WebhookEventTypes.SessionMissed}:{planId:D}:{dueDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}"));
        var bytes = hash.AsSpan(0, 16).ToArray();
        // RFC 9562 §5.8: version 8 in the high nibble of byte 6, the variant 10xx in byte 8 (big-endian layout).
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static OutboxEvent Create<TData>(Guid id, string type, DateTime occurredAt, DateTime nowUtc, Guid? siteId, TData data, bool dispatched = false)
    {
        var body = JsonSerializer.Serialize(new Envelope<TData>(id, type, occurredAt, data), Json);
        return OutboxEvent.Create(id, type, occurredAt, nowUtc, siteId, body, dispatched);
    }

    private sealed record Envelope<TData>(Guid Id, string Type, DateTime Timestamp, TData Data);

    private sealed record DoseData(
        Guid DoseId, Guid SessionId, Guid PatientId, Guid SiteId, string Medication, string Route, decimal AmountMg, DateTime AdministeredAt,
        Guid? ReplacesDoseId, DateTime? VoidedAt);

    private sealed record SafetyFlagData(Guid FlagId, Guid PatientId, Guid AssessmentId, Guid SiteId, string Reason);

    private sealed record MissedData(
        Guid PlanId, Guid PatientId, Guid SiteId, DateOnly DueDate, DateOnly WindowStart, DateOnly WindowEnd, string Reason, Guid? SessionId);

    private sealed record PingData(Guid SubscriptionId);
}

/// <summary>A plan's due date whose window closed unattended (domain.md §10 rule 4), as the missed-window scan found it.</summary>
/// <param name="PlanId">The plan.</param>
/// <param name="PatientId">Its patient.</param>
/// <param name="SiteId">Its site.</param>
/// <param name="DueDate">The due date d.</param>
/// <param name="WindowStart">d − t.</param>
/// <param name="WindowEnd">d + t.</param>
/// <param name="ClosedAtUtc">The instant the window closed: the start of the clinic-local day after d + t.</param>
/// <param name="Reason">Why it was missed.</param>
/// <param name="SessionId">The session whose outcome gave the reason (the latest not completed in the window), if any.</param>
public sealed record MissedWindow(
    Guid PlanId, Guid PatientId, Guid SiteId, DateOnly DueDate, DateOnly WindowStart, DateOnly WindowEnd, DateTime ClosedAtUtc,
    MissedReason Reason, Guid? SessionId);
