using System.Net;
using ClinicTracker.Api.Doses;
using ClinicTracker.Api.Monitoring;
using ClinicTracker.Api.Sessions;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Sessions;

namespace ClinicTracker.Api.Demo;

/// <summary>One due date of a course: a session as the clinic runs it (domain.md §3, §4), or what happened instead.</summary>
public sealed partial class DemoClinic
{
    private const string IvLot = "KET-DEMO-001";
    private const string EsketamineLot = "SPR-DEMO-001";

    private async Task DueDateAsync(Course course, int index, DateOnly date, CancellationToken ct)
    {
        var miss = DemoPeople.Misses.TryGetValue((course.Index, index), out var m) ? m : (DemoMiss?)null;
        if (miss == DemoMiss.NotScheduled)
        {
            return;
        }

        var t0 = Slot(course.Index, miss == DemoMiss.Late ? date.AddDays(2) : date);
        var sessionId = await ScheduleAsync(course, t0, ct);
        var path = $"/api/v1/sessions/{sessionId}";
        var frontDesk = DemoPeople.FrontDesk.UserName;
        switch (miss)
        {
            case DemoMiss.NoShow:
                await api.PostAsync(frontDesk, $"{path}/no-show", new SessionTransitionRequest { At = t0.AddMinutes(45) }, HttpStatusCode.OK, ct: ct);
                Count("no-show");
                return;
            case DemoMiss.CancelledByPatient or DemoMiss.CancelledByClinic:
                var byPatient = miss == DemoMiss.CancelledByPatient;
                await api.PostAsync(frontDesk, $"{path}/cancel", new CancelSessionRequest
                {
                    CancelledBy = byPatient ? CancelledBy.Patient : CancelledBy.Clinic,
                    Reason = byPatient ? "Patient unwell, called to cancel (demo)." : "No monitoring nurse available (demo).",
                    At = t0.AddHours(byPatient ? -20 : -3),
                }, HttpStatusCode.OK, ct: ct);
                Count("cancelled");
                return;
        }

        await CheckInAsync(course, index, sessionId, t0, ct);
        if (miss == DemoMiss.Held)
        {
            // domain.md §4: 154/96 is over the 140/90 gate, so no dose; the nurse holds the session.
            await BpAsync(sessionId, 154, 96, t0.AddMinutes(8), ct);
            await api.PostAsync(DemoPeople.Nurse.UserName, $"{path}/hold", new HoldSessionRequest
            {
                Reason = "Pre-dose blood pressure 154/96 above 140/90; rebooked (demo).",
                At = t0.AddMinutes(15),
            }, HttpStatusCode.OK, ct: ct);
            Count("held");
            return;
        }

        var (systolic, diastolic) = Bp(course.Index, index);
        await BpAsync(sessionId, systolic, diastolic, t0.AddMinutes(8), ct);
        if (DemoPeople.IsIv(course.Index))
        {
            await InfusionAsync(course, index, sessionId, t0, ct);
        }
        else
        {
            await NasalSprayAsync(course, index, sessionId, t0, ct);
        }

        Count("completed");
    }

    private async Task<Guid> ScheduleAsync(Course course, DateTimeOffset at, CancellationToken ct) =>
        Id(await api.PostAsync(DemoPeople.FrontDesk.UserName, $"/api/v1/patients/{course.PatientId}/sessions",
            new ScheduleSessionRequest { PlanId = course.PlanId, ScheduledAt = at }, ct: ct));

    private async Task CheckInAsync(Course course, int index, Guid sessionId, DateTimeOffset t0, CancellationToken ct)
    {
        // The dosing weight drifts by up to 0.4 kg between visits (domain.md §3: recorded at every session).
        var weight = DemoPeople.WeightKg(course.Index) + ((index * 3 % 5) - 2) * 0.2m;
        await api.PostAsync(DemoPeople.Nurse.UserName, $"/api/v1/sessions/{sessionId}/check-in",
            new CheckInRequest { WeightKg = weight, WeightBasis = WeightBasis.Actual, At = t0.AddMinutes(3) }, HttpStatusCode.OK, ct: ct);
    }

    /// <summary>
    /// A 40-minute racemic ketamine infusion (Fava 2018), 0.5 mg/kg; partial and non-responders are titrated to 0.6 and
    /// 0.7 mg/kg, within the 0.75 mg/kg soft limit — except one fifth infusion at 0.8 mg/kg, refused to the nurse and
    /// recorded by the prescriber with an override naming the warning (domain.md §3). Then the IV monitoring of §4 and
    /// the leftover drug wasted with a witness (§8).
    /// </summary>
    private async Task InfusionAsync(Course course, int index, Guid sessionId, DateTimeOffset t0, CancellationToken ct)
    {
        var path = $"/api/v1/sessions/{sessionId}";
        var titrated = DemoPeople.TrajectoryOf(course.Index) is DemoTrajectory.Partial or DemoTrajectory.NonResponder;
        var over = course.Index == DemoPeople.OverridePatient && index == 4;
        var mgPerKg = over ? 0.8m : course.Index == DemoPeople.OverridePatient && index == 5 ? 0.75m
            : !titrated || index < 2 ? 0.5m : index < 4 ? 0.6m : 0.7m;
        var weight = DemoPeople.WeightKg(course.Index) + ((index * 3 % 5) - 2) * 0.2m;
        // Rounded down to 0.1 mg so the derived mg/kg never crosses a limit by rounding.
        var amount = Math.Floor(weight * mgPerKg * 10m) / 10m;
        var dose = new RecordDoseRequest
        {
            Medication = Medication.Ketamine,
            Route = AdministrationRoute.Intravenous,
            AmountMg = amount,
            InfusionStartedAt = t0.AddMinutes(12),
            InfusionEndedAt = t0.AddMinutes(52),
            LotNumber = IvLot,
        };
        var administeredBy = DemoPeople.Nurse.UserName;
        if (over)
        {
            await api.PostAsync(DemoPeople.Nurse.UserName, $"{path}/doses", dose, HttpStatusCode.UnprocessableEntity, ct: ct);
            administeredBy = DemoPeople.Prescriber.UserName;
            dose = dose with
            {
                OverrideReason = "Partial response at 0.7 mg/kg; escalating to 0.8 mg/kg with continuous monitoring (demo).",
                AcceptedWarnings = [DoseLimitCodes.IvAboveUsualMgPerKg],
            };
            Counts.Overrides++;
        }

        await api.PostAsync(administeredBy, $"{path}/doses", dose, ct: ct);
        Counts.Doses++;
        var (systolic, diastolic) = Bp(course.Index, index);
        await BpAsync(sessionId, systolic + 4, diastolic + 3, t0.AddMinutes(52), ct);
        await ObserveAsync(sessionId, ObservationKind.Spo2, 96 + ((course.Index + index) % 4), t0.AddMinutes(52), ct);
        if (course.Index == 4 && index == 1)
        {
            await AdverseEventAsync(sessionId, AdverseEventType.Nausea, t0.AddMinutes(40), t0.AddMinutes(75), "Mild nausea, settled with rest (demo).", ct);
        }

        // Drawn up in 50 mg steps (1 mL of 50 mg/mL): the rest is wasted, witnessed by a nurse who gave no dose here.
        var left = (Math.Ceiling(amount / 50m) * 50m) - amount;
        if (left > 0)
        {
            await api.PostAsync(DemoPeople.Nurse.UserName, $"{path}/waste", new RecordWasteRequest
            {
                AmountMg = left,
                WitnessUserName = DemoPeople.WitnessNurse.UserName,
                WastedAt = t0.AddMinutes(55),
                LotNumber = IvLot,
            }, ct: ct);
            Counts.Waste++;
        }

        await BpAsync(sessionId, systolic - 2, diastolic - 1, t0.AddMinutes(85), ct);
        await api.PostAsync(DemoPeople.Nurse.UserName, $"{path}/complete", new SessionTransitionRequest { At = t0.AddMinutes(90) }, HttpStatusCode.OK, ct: ct);
    }

    /// <summary>
    /// Esketamine in 28 mg devices (Spravato label): 56 mg on day 1 (28 mg from age 65), partial and non-responders
    /// 84 mg from the third session (+28 mg, the step the label allows); then the REMS monitoring of domain.md §4:
    /// BP about 40 minutes after the first device, a discharge BP, two hours from the first device to discharge.
    /// </summary>
    private async Task NasalSprayAsync(Course course, int index, Guid sessionId, DateTimeOffset t0, CancellationToken ct)
    {
        var path = $"/api/v1/sessions/{sessionId}";
        var titrated = DemoPeople.TrajectoryOf(course.Index) is DemoTrajectory.Partial or DemoTrajectory.NonResponder;
        var devices = course.Index == DemoPeople.SeniorPatient && index == 0 ? 1 : titrated && index >= 2 ? 3 : 2;
        await api.PostAsync(DemoPeople.Nurse.UserName, $"{path}/doses", new RecordDoseRequest
        {
            Medication = Medication.Esketamine,
            Route = AdministrationRoute.Intranasal,
            AmountMg = devices * 28m,
            DeviceCount = devices,
            AdministeredAt = t0.AddMinutes(12),
            LotNumber = EsketamineLot,
        }, ct: ct);
        Counts.Doses++;
        var (systolic, diastolic) = Bp(course.Index, index);
        // Esketamine raises blood pressure for a while after dosing (Spravato label).
        await BpAsync(sessionId, systolic + 6, diastolic + 4, t0.AddMinutes(52), ct);
        await ObserveAsync(sessionId, ObservationKind.Cadss, 2 + ((course.Index * (index + 1)) % 11), t0.AddMinutes(52), ct);
        if (course.Index == 18 && index == 0)
        {
            await AdverseEventAsync(sessionId, AdverseEventType.Dissociation, t0.AddMinutes(25), t0.AddMinutes(80),
                "Transient dissociation, resolved without intervention (demo).", ct);
        }

        await BpAsync(sessionId, systolic, diastolic, t0.AddMinutes(130), ct);
        await api.PostAsync(DemoPeople.Nurse.UserName, $"{path}/complete", new SessionTransitionRequest { At = t0.AddMinutes(137) }, HttpStatusCode.OK, ct: ct);
    }

    private Task BpAsync(Guid sessionId, int systolic, int diastolic, DateTimeOffset at, CancellationToken ct) =>
        RecordObservationAsync(sessionId, new RecordObservationRequest
        {
            Kind = ObservationKind.BloodPressure,
            Systolic = systolic,
            Diastolic = diastolic,
            ObservedAt = at,
        }, ct);

    private Task ObserveAsync(Guid sessionId, ObservationKind kind, int value, DateTimeOffset at, CancellationToken ct) =>
        RecordObservationAsync(sessionId, new RecordObservationRequest { Kind = kind, Value = value, ObservedAt = at }, ct);

    private async Task RecordObservationAsync(Guid sessionId, RecordObservationRequest observation, CancellationToken ct)
    {
        await api.PostAsync(DemoPeople.Nurse.UserName, $"/api/v1/sessions/{sessionId}/observations", observation, ct: ct);
        Counts.Observations++;
    }

    private async Task AdverseEventAsync(Guid sessionId, AdverseEventType type, DateTimeOffset onset, DateTimeOffset resolved, string description,
        CancellationToken ct)
    {
        await api.PostAsync(DemoPeople.Nurse.UserName, $"/api/v1/sessions/{sessionId}/adverse-events", new RecordAdverseEventRequest
        {
            Type = type,
            Severity = AdverseEventSeverity.Mild,
            OnsetAt = onset,
            ResolvedAt = resolved,
            Description = description,
        }, ct: ct);
        Counts.AdverseEvents++;
    }

    /// <summary>A pre-dose reading under the 140/90 gate: 112–135 / 70–85 mmHg.</summary>
    private static (int Systolic, int Diastolic) Bp(int patient, int index) =>
        (112 + ((patient * 3) + (index * 7)) % 24, 70 + (patient + (index * 3)) % 16);

    private void Count(string status) => Counts.Sessions[status] = Counts.Sessions.GetValueOrDefault(status) + 1;
}
