using ClinicTracker.Core.Common;
using static System.FormattableString;

namespace ClinicTracker.Core.Monitoring;

/// <summary>
/// The pre-dose blood-pressure gate and the monitoring needed before completing a session
/// (domain.md §4), bound from the "Monitoring" configuration section. Defaults are the domain's design
/// defaults; a clinic changes them in configuration, never in code.
/// </summary>
public sealed class MonitoringOptions : IValidatableOptions
{
    public const string Section = "Monitoring";

    /// <summary>Clinic hold rule 140/90: a systolic above this blocks the first dose.</summary>
    public int BpGateSystolicMax { get; set; } = 140;

    /// <summary>Clinic hold rule 140/90: a diastolic above this blocks the first dose.</summary>
    public int BpGateDiastolicMax { get; set; } = 90;

    /// <summary>Spravato label: BP before dosing; the reading must be at most this many minutes old.</summary>
    public int BpGateWindowMinutes { get; set; } = 60;

    /// <summary>Spravato REMS: 2 h observation from the first device to discharge.</summary>
    public int EsketamineObservationMinutes { get; set; } = 120;

    /// <summary>Spravato REMS: BP about 40 min after the first device; window opens this many minutes after it.</summary>
    public int EsketaminePostDoseBpFromMinutes { get; set; } = 30;

    /// <summary>Spravato REMS: BP about 40 min after the first device; window closes this many minutes after it.</summary>
    public int EsketaminePostDoseBpToMinutes { get; set; } = 60;

    /// <summary>
    /// A discharge BP is one taken at most this many minutes before completion. Not a domain number: our
    /// reading of "a discharge BP" (REMS Patient Monitoring Form: BP at discharge).
    /// </summary>
    public int DischargeBpWindowMinutes { get; set; } = 30;

    /// <summary>
    /// Settings that make no sense, each naming its configuration key; empty when usable: every number
    /// must be above 0, the gate's diastolic maximum below its systolic maximum, and the post-dose window
    /// must not open after it closes.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();

        Positive(nameof(BpGateSystolicMax), BpGateSystolicMax);
        Positive(nameof(BpGateDiastolicMax), BpGateDiastolicMax);
        Positive(nameof(BpGateWindowMinutes), BpGateWindowMinutes);
        Positive(nameof(EsketamineObservationMinutes), EsketamineObservationMinutes);
        Positive(nameof(EsketaminePostDoseBpFromMinutes), EsketaminePostDoseBpFromMinutes);
        Positive(nameof(EsketaminePostDoseBpToMinutes), EsketaminePostDoseBpToMinutes);
        Positive(nameof(DischargeBpWindowMinutes), DischargeBpWindowMinutes);

        if (BpGateDiastolicMax >= BpGateSystolicMax)
        {
            problems.Add(Invariant(
                $"{Section}:{nameof(BpGateDiastolicMax)} ({BpGateDiastolicMax}) must be below {nameof(BpGateSystolicMax)} ({BpGateSystolicMax})."));
        }

        if (EsketaminePostDoseBpFromMinutes > EsketaminePostDoseBpToMinutes)
        {
            problems.Add(Invariant(
                $"{Section}:{nameof(EsketaminePostDoseBpFromMinutes)} ({EsketaminePostDoseBpFromMinutes}) is after {nameof(EsketaminePostDoseBpToMinutes)} ({EsketaminePostDoseBpToMinutes})."));
        }

        return problems;

        void Positive(string key, int value)
        {
            if (value <= 0)
            {
                problems.Add(Invariant($"{Section}:{key} ({value}) must be greater than 0."));
            }
        }
    }
}
