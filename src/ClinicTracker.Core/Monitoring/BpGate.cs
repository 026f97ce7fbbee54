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
/// not. Two readings at the same instant: the higher one decides (systolic, then diastolic), so input
/// order never matters and the tie goes to caution.
/// </remarks>
public static class BpGate
{
    public static BpGateResult Evaluate(MonitoringOptions o, IReadOnlyList<BpReading> sessionReadings, DateTime doseAtUtc)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(sessionReadings);

        var windowStart = doseAtUtc.AddMinutes(-o.BpGateWindowMinutes);
        var reading = sessionReadings
            .Where(r => r.TakenAtUtc <= doseAtUtc && r.TakenAtUtc >= windowStart)
            .OrderBy(r => r.TakenAtUtc)
            .ThenBy(r => r.Systolic)
            .ThenBy(r => r.Diastolic)
            .ThenBy(r => r.Id)
            .LastOrDefault();

        if (reading is null)
        {
            return new BpGateResult(BpGateOutcome.Missing, null,
                Invariant($"No blood pressure was taken in this session in the {o.BpGateWindowMinutes} min before the dose."));
        }

        var minutesBefore = (int)(doseAtUtc - reading.TakenAtUtc).TotalMinutes;
        var limits = Invariant($"{o.BpGateSystolicMax}/{o.BpGateDiastolicMax} mmHg");
        var bp = Invariant($"Blood pressure {reading.Systolic}/{reading.Diastolic} mmHg taken {minutesBefore} min before the dose");

        // Clinic hold rule: systolic > 140 or diastolic > 90 blocks dosing.
        return reading.Systolic > o.BpGateSystolicMax || reading.Diastolic > o.BpGateDiastolicMax
            ? new BpGateResult(BpGateOutcome.Elevated, reading, $"{bp} is above {limits}.")
            : new BpGateResult(BpGateOutcome.Passed, reading, $"{bp} is within {limits}.");
    }
}
