using static System.FormattableString;

namespace ClinicTracker.Core.Monitoring;

/// <summary>A blood-pressure reading of a session.</summary>
public sealed record BpReading(Guid Id, DateTime TakenAtUtc, int Systolic, int Diastolic);

/// <summary>What the pre-dose gate decided.</summary>
public enum BpGateOutcome
{
    /// <summary>A recent reading at or below the limits: dosing may go ahead.</summary>
    Passed,

    /// <summary>No reading in the window before the dose: take one first.</summary>
    Missing,

    /// <summary>The deciding reading is above a limit: blocked unless a prescriber overrides with a reason.</summary>
    Elevated,
}

/// <summary>The gate's decision, the reading it rested on (null when missing) and a sentence for the problem detail.</summary>
public sealed record BpGateResult(BpGateOutcome Outcome, BpReading? Reading, string Detail);

/// <summary>
/// The pre-dose blood-pressure gate of domain.md §4 (clinic hold rule of 140/90; Spravato label: BP
/// before dosing). The caller applies it before the first dose of a session.
/// </summary>
/// <remarks>
/// The latest reading taken at or before the dose and at most the window (60 min) before it decides,
/// so a newer normal reading supersedes an older high one (a repeat after the patient rested). A
/// reading after the dose time is ignored. Limits are inclusive: 140/90 passes, 141/90 and 140/91 do
/// not. domain.md §4: when several readings share the latest time, any elevated one blocks. Readings
/// less than a minute before the latest count as the same time (two arms, or a machine and a manual
/// reading at the same minute), so 120/95 and 140/85 at 10:05 block whatever their seconds or order.
/// </remarks>
public static class BpGate
{
    /// <summary>Readings this close to the latest one share its time.</summary>
    public static readonly TimeSpan SameTime = TimeSpan.FromMinutes(1);

    public static BpGateResult Evaluate(MonitoringOptions o, IReadOnlyList<BpReading> sessionReadings, DateTime doseAtUtc)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(sessionReadings);

        var windowStart = doseAtUtc.AddMinutes(-o.BpGateWindowMinutes);
        var inWindow = sessionReadings.Where(r => r.TakenAtUtc <= doseAtUtc && r.TakenAtUtc >= windowStart).ToList();
        var latest = inWindow.Count == 0 ? (DateTime?)null : inWindow.Max(r => r.TakenAtUtc);
        // Among the readings of the latest time the most elevated decides, so input order never matters.
        var reading = inWindow.Where(r => latest - r.TakenAtUtc < SameTime)
            .OrderByDescending(r => IsElevated(o, r))
            .ThenByDescending(r => Math.Max(r.Systolic - o.BpGateSystolicMax, r.Diastolic - o.BpGateDiastolicMax))
            .ThenByDescending(r => r.TakenAtUtc)
            .ThenBy(r => r.Id)
            .FirstOrDefault();

        if (reading is null)
        {
            return new BpGateResult(BpGateOutcome.Missing, null,
                Invariant($"No blood pressure was taken in this session in the {o.BpGateWindowMinutes} min before the dose."));
        }

        var minutesBefore = (int)(doseAtUtc - reading.TakenAtUtc).TotalMinutes;
        var limits = Invariant($"{o.BpGateSystolicMax}/{o.BpGateDiastolicMax} mmHg");
        var bp = Invariant($"Blood pressure {reading.Systolic}/{reading.Diastolic} mmHg taken {minutesBefore} min before the dose");

        return IsElevated(o, reading)
            ? new BpGateResult(BpGateOutcome.Elevated, reading, $"{bp} is above {limits}.")
            : new BpGateResult(BpGateOutcome.Passed, reading, $"{bp} is within {limits}.");
    }

    /// <summary>Clinic hold rule: systolic > 140 or diastolic > 90 blocks dosing.</summary>
    private static bool IsElevated(MonitoringOptions o, BpReading r) => r.Systolic > o.BpGateSystolicMax || r.Diastolic > o.BpGateDiastolicMax;
}
