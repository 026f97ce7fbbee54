using System.Diagnostics;
using System.Diagnostics.Metrics;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Outcomes;

namespace ClinicTracker.Api.Telemetry;

/// <summary>
/// ClinicTracker's own spans and metrics (docs/integrators.md, Telemetry, ADR 0022). Every tag is a code, an enum name or a
/// count: never an id of a patient, never a name, MRN, birth date or note. Instruments are process-wide, like the
/// runtime's own; a listener sees them only once a provider subscribes to <see cref="Name"/>.
/// </summary>
public static class ClinicTelemetry
{
    /// <summary>The name of the ActivitySource and of the Meter.</summary>
    public const string Name = "ClinicTracker";

    /// <summary>The service name exported unless OTEL_SERVICE_NAME says otherwise.</summary>
    public const string ServiceName = "clinictracker-api";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> DosesRecorded = Meter.CreateCounter<long>(
        "clinictracker.doses.recorded", "{dose}", "Doses recorded (replacements of voided doses included).");

    private static readonly Counter<long> DoseLimitRefusals = Meter.CreateCounter<long>(
        "clinictracker.dose_limit.refusals", "{refusal}", "Doses refused by a dose limit or the pre-dose blood-pressure gate, by problem code.");

    private static readonly Counter<long> SafetyFlagsOpened = Meter.CreateCounter<long>(
        "clinictracker.safety_flags.opened", "{flag}", "Safety flags opened by a PHQ-9 item 9 above 0.");

    private static readonly Histogram<int> AuditBatchSize = Meter.CreateHistogram<int>(
        "clinictracker.audit.batch_size", "{row}", "Audit rows of reads and refusals appended in one transaction by the batch writer.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    /// <summary>The refusals of RecordDose that are limits (domain.md §3) or the BP gate (§4); other refusals are not counted here.</summary>
    private static readonly HashSet<string> LimitRefusalCodes = new(StringComparer.Ordinal) { "dose.hard-limit", "dose.soft-limit", "bp.gate" };

    public static void DoseRecorded(DoseEntry dose) =>
        DosesRecorded.Add(1, new("medication", EnumNames.Kebab(dose.Medication)), new("route", EnumNames.Kebab(dose.Route)));

    /// <summary>Counts a limit refusal by its problem code; a hard limit also names the limit (e.g. <c>iv.max-mg-per-kg</c>).</summary>
    public static void DoseRefused(RuleViolation refusal)
    {
        if (!LimitRefusalCodes.Contains(refusal.Code))
        {
            return;
        }

        if (refusal.Extensions?.GetValueOrDefault("limit") is DoseLimitBreach breach)
        {
            DoseLimitRefusals.Add(1, new("code", refusal.Code), new("limit", breach.Code));
        }
        else
        {
            DoseLimitRefusals.Add(1, new KeyValuePair<string, object?>("code", refusal.Code));
        }
    }

    /// <summary>Counts the flag an assessment opened, if it opened one.</summary>
    public static void SafetyFlagOpened(SafetyFlag? flag)
    {
        if (flag is not null)
        {
            SafetyFlagsOpened.Add(1);
        }
    }

    public static void AuditBatchWritten(int rows) => AuditBatchSize.Record(rows);
}
