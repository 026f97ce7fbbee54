using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Sessions;

namespace ClinicTracker.Api.Sessions;

/// <summary>A blood-pressure reading in a monitoring summary.</summary>
/// <param name="Systolic">Systolic mmHg.</param>
/// <param name="Diastolic">Diastolic mmHg.</param>
/// <param name="ObservedAt">When it was taken (UTC), as the observation's observedAt.</param>
public sealed record BpValue(int Systolic, int Diastolic, DateTime ObservedAt);

/// <summary>Where a session stands on monitoring (domain.md §4–§5).</summary>
/// <param name="Flagged">True when an observation of MOAA/S 0 or SpO2 below 90 stands in the session.</param>
/// <param name="MissingBeforeCompletion">What completing now would still lack (empty when nothing; null before the first dose).</param>
/// <param name="Rems">For esketamine: what the Spravato REMS patient monitoring form asks for.</param>
public sealed record SessionMonitoringResponse(bool Flagged, IReadOnlyList<MissingMonitoring>? MissingBeforeCompletion, RemsMonitoringForm? Rems);

/// <summary>The data of the Spravato REMS patient monitoring form for one session.</summary>
/// <param name="TotalMg">Esketamine given, mg.</param>
/// <param name="Devices">28 mg devices used.</param>
/// <param name="LotNumbers">Lot numbers of the devices.</param>
/// <param name="FirstDeviceAt">First device time.</param>
/// <param name="DischargeAt">Discharge (completion) time.</param>
/// <param name="MinutesFirstDeviceToDischarge">Total minutes from the first device to discharge.</param>
/// <param name="PreDoseBp">The BP that cleared the pre-dose gate.</param>
/// <param name="PostDoseBp">The BP about 40 minutes after the first device (30–60 min window).</param>
/// <param name="DischargeBp">The BP at discharge.</param>
/// <param name="Sedation">Sedation noted (adverse event, or MOAA/S below 5).</param>
/// <param name="Dissociation">Dissociation noted (adverse event, or CADSS above 4).</param>
/// <param name="RespiratoryEvent">Respiratory depression or SpO2 below 90 noted.</param>
public sealed record RemsMonitoringForm(
    decimal TotalMg, int Devices, IReadOnlyList<string> LotNumbers, DateTime? FirstDeviceAt, DateTime? DischargeAt,
    int? MinutesFirstDeviceToDischarge, BpValue? PreDoseBp, BpValue? PostDoseBp, BpValue? DischargeBp, bool Sedation,
    bool Dissociation, bool RespiratoryEvent);

/// <summary>Builds the monitoring view of a session from its doses, observations and adverse events.</summary>
public static class MonitoringStatus
{
    public static IReadOnlyList<MissingMonitoring> Missing(
        MonitoringOptions options, TreatmentSession session, IReadOnlyList<DoseEntry> doses, IReadOnlyList<BpReading> readings, DateTime atUtc) =>
        CompletionCheck.Evaluate(options, session.Medication, session.Route, doses.Min(d => d.AdministeredAt),
            doses.Max(d => d.InfusionStartedAt), readings, atUtc);

    public static SessionMonitoringResponse For(
        MonitoringOptions options, TreatmentSession session, IReadOnlyList<DoseEntry> doses, IReadOnlyList<Observation> observations,
        IReadOnlyList<AdverseEvent> adverseEvents, DateTime nowUtc)
    {
        var readings = observations.Select(o => o.AsBpReading()).OfType<BpReading>().ToList();
        var firstDose = doses.Count == 0 ? (DateTime?)null : doses.Min(d => d.AdministeredAt);
        var at = session.CompletedAt ?? nowUtc;
        var missing = firstDose is null || at < firstDose ? null : Missing(options, session, doses, readings, at);
        var rems = session.Medication == Medication.Esketamine ? Rems(options, session, doses, observations, adverseEvents, readings, firstDose) : null;
        return new SessionMonitoringResponse(session.Flagged, missing, rems);
    }

    private static RemsMonitoringForm Rems(
        MonitoringOptions options, TreatmentSession session, IReadOnlyList<DoseEntry> doses, IReadOnlyList<Observation> observations,
        IReadOnlyList<AdverseEvent> adverseEvents, IReadOnlyList<BpReading> readings, DateTime? firstDose)
    {
        BpValue? Bp(BpReading? r) => r is null ? null : new BpValue(r.Systolic, r.Diastolic, r.TakenAtUtc);

        var preDose = firstDose is { } f ? BpGate.Evaluate(options, readings, f).Reading : null;
        var postDose = firstDose is { } start
            ? readings.Where(r => r.TakenAtUtc >= start.AddMinutes(options.EsketaminePostDoseBpFromMinutes)
                                  && r.TakenAtUtc <= start.AddMinutes(options.EsketaminePostDoseBpToMinutes))
                .OrderBy(r => r.TakenAtUtc).FirstOrDefault()
            : null;
        var discharge = session.CompletedAt is { } end
            ? readings.Where(r => r.TakenAtUtc <= end && r.TakenAtUtc >= end.AddMinutes(-options.DischargeBpWindowMinutes) && r != postDose)
                .OrderByDescending(r => r.TakenAtUtc).FirstOrDefault()
            : null;
        var types = adverseEvents.Select(a => a.Type).ToHashSet();
        return new RemsMonitoringForm(
            doses.Sum(d => d.AmountMg),
            doses.Sum(d => d.DeviceCount ?? 0),
            [.. doses.Select(d => d.LotNumber).Distinct(StringComparer.Ordinal)],
            firstDose,
            session.CompletedAt,
            firstDose is { } s0 && session.CompletedAt is { } e0 ? (int)Math.Floor((e0 - s0).TotalMinutes) : null,
            Bp(preDose),
            Bp(postDose),
            Bp(discharge),
            types.Contains(AdverseEventType.Sedation) || types.Contains(AdverseEventType.LossOfConsciousness)
                || observations.Any(o => o.Kind == ObservationKind.Moaas && o.Value < 5),
            types.Contains(AdverseEventType.Dissociation)
                || observations.Any(o => o.Kind == ObservationKind.Cadss && o.Value is { } c && ObservationRules.IsDissociation(c)),
            types.Contains(AdverseEventType.RespiratoryDepression)
                || observations.Any(o => o.Kind == ObservationKind.Spo2 && o.Value < ObservationRules.Spo2FlagBelow));
    }
}
