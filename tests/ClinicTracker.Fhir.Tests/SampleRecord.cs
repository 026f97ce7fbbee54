using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Outcomes;
using ClinicTracker.Core.Patients;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using ClinicTracker.Core.Sites;
using CoreObservation = ClinicTracker.Core.Monitoring.Observation;

namespace ClinicTracker.Fhir.Tests;

/// <summary>
/// One patient's record with every variant the mapping distinguishes, built with the record's own factories and
/// rules: an IV course (an infusion with an override, a voided dose and its replacement, every observation kind, a
/// voided reading, an adverse event), a discontinued esketamine plan with device doses, a completed plan, a session in
/// each lifecycle state, and PHQ-9 (one voided, one with item 9 above 0) and MADRS assessments.
/// </summary>
public static class SampleRecord
{
    public static readonly DateTime Start = new(2026, 3, 2, 14, 0, 0, DateTimeKind.Utc);

    public static PatientRecord Build()
    {
        var now = Start.AddDays(-7);
        var patient = Patient.Register(new PatientDemographics("MRN-1001", "Ana", "Müller", new DateOnly(1971, 5, 4), Sex.Female, "TRD, MDD recurrent"),
            Site.DefaultId, "frontdesk.jo", now);

        var iv = TreatmentPlan.Create(patient.Id, Site.DefaultId, Medication.Ketamine, AdministrationRoute.Intravenous, DateOnly.FromDateTime(Start),
            "America/New_York", 1, PlanTemplates.IvInduction, PlanTemplates.Phases(PlanTemplates.IvInduction, DateOnly.FromDateTime(Start))!,
            targetDoseMg: null, targetDoseMgPerKg: 0.5m, "dr.lee", now);
        var esketamine = TreatmentPlan.Create(patient.Id, Site.DefaultId, Medication.Esketamine, AdministrationRoute.Intranasal,
            DateOnly.FromDateTime(Start.AddDays(30)), "America/New_York", 1, null,
            [new PlanPhase("induction", 8, EveryDays: null, [DayOfWeek.Tuesday, DayOfWeek.Friday]), new PlanPhase("maintenance", 4, 7, null)],
            targetDoseMg: 56, targetDoseMgPerKg: null, "dr.lee", now);
        var oral = TreatmentPlan.Create(patient.Id, Site.DefaultId, Medication.Ketamine, AdministrationRoute.Oral, DateOnly.FromDateTime(Start.AddDays(-60)),
            "America/New_York", 1, null, [new PlanPhase("weekly", 4, 7, null)], 150, null, "dr.lee", now.AddDays(-60));

        // Session 1: an infusion of 35 mg over 40 minutes with an override, then monitoring and completion.
        var first = TreatmentSession.Schedule(iv, Start, "frontdesk.jo", now);
        first.CheckIn(70m, WeightBasis.Actual, Start, "nurse.kim");
        var infusion = Dose(first, Medication.Ketamine, AdministrationRoute.Intravenous, 35m, Start.AddMinutes(10), Start.AddMinutes(50), null,
            "Tolerated well before", ["ketamine.iv.short-infusion"]);
        var bp = CoreObservation.Record(first.Id, patient.Id, ObservationKind.BloodPressure, 128, 82, null, Start.AddMinutes(5), "nurse.kim", Start.AddMinutes(6));
        var heartRate = CoreObservation.Record(first.Id, patient.Id, ObservationKind.HeartRate, null, null, 74, Start.AddMinutes(20), "nurse.kim", Start.AddMinutes(21));
        var spo2 = CoreObservation.Record(first.Id, patient.Id, ObservationKind.Spo2, null, null, 97, Start.AddMinutes(20), "nurse.kim", Start.AddMinutes(21));
        var cadss = CoreObservation.Record(first.Id, patient.Id, ObservationKind.Cadss, null, null, 12, Start.AddMinutes(60), "nurse.kim", Start.AddMinutes(61));
        var moaas = CoreObservation.Record(first.Id, patient.Id, ObservationKind.Moaas, null, null, 4, Start.AddMinutes(60), "nurse.kim", Start.AddMinutes(61));
        var wrongBp = CoreObservation.Record(first.Id, patient.Id, ObservationKind.BloodPressure, 182, 95, null, Start.AddMinutes(30), "nurse.kim", Start.AddMinutes(31));
        wrongBp.Void("Cuff on the wrong arm size", "nurse.kim", Start.AddMinutes(33));
        var dizziness = AdverseEvent.Record(first.Id, patient.Id, AdverseEventType.Dizziness, null, AdverseEventSeverity.Mild, Start.AddMinutes(45),
            Start.AddMinutes(90), "Brief <dizziness> & nausea", "nurse.kim", Start.AddMinutes(46));
        first.Complete(Start.AddMinutes(120), infusion.EndedAt, "nurse.kim");

        // Session 2: a dose entered in error and its replacement; a serious adverse event of another type, unresolved.
        var second = TreatmentSession.Schedule(iv, Start.AddDays(2), "frontdesk.jo", now);
        second.CheckIn(70m, WeightBasis.Actual, Start.AddDays(2), "nurse.kim");
        var wrong = Dose(second, Medication.Ketamine, AdministrationRoute.Intravenous, 53m, Start.AddDays(2).AddMinutes(5), Start.AddDays(2).AddMinutes(45), null, null, []);
        wrong.Void("Typed 53 instead of 35", "dr.lee", Start.AddDays(2).AddMinutes(50));
        second.RemoveDose(wrong.AmountUg, null);
        var replacement = Dose(second, Medication.Ketamine, AdministrationRoute.Intravenous, 35m, Start.AddDays(2).AddMinutes(5), Start.AddDays(2).AddMinutes(45),
            null, null, [], wrong.Id);
        var other = AdverseEvent.Record(second.Id, patient.Id, AdverseEventType.Other, "Tinnitus", AdverseEventSeverity.Serious, Start.AddDays(2).AddMinutes(30),
            null, null, "nurse.kim", Start.AddDays(2).AddMinutes(31));

        // Sessions in the other lifecycle states.
        var planned = TreatmentSession.Schedule(iv, Start.AddDays(4), "frontdesk.jo", now);
        var arrived = TreatmentSession.Schedule(iv, Start.AddDays(7), "frontdesk.jo", now);
        arrived.CheckIn(71m, WeightBasis.Actual, Start.AddDays(7), "nurse.kim");
        var cancelled = TreatmentSession.Schedule(iv, Start.AddDays(9), "frontdesk.jo", now);
        cancelled.Cancel(CancelledBy.Patient, "Flu", Start.AddDays(8), "frontdesk.jo");
        var noShow = TreatmentSession.Schedule(iv, Start.AddDays(11), "frontdesk.jo", now);
        noShow.MarkNoShow(Start.AddDays(11).AddHours(2), "frontdesk.jo");
        var held = TreatmentSession.Schedule(iv, Start.AddDays(14), "frontdesk.jo", now);
        held.CheckIn(70m, WeightBasis.Actual, Start.AddDays(14), "nurse.kim");
        held.Hold("BP 182/101 before dosing", Start.AddDays(14).AddMinutes(15), "nurse.kim");

        // Esketamine: two devices (56 mg) on the first session, then the plan is discontinued.
        var spray = TreatmentSession.Schedule(esketamine, Start.AddDays(30), "frontdesk.jo", now);
        spray.CheckIn(70m, WeightBasis.Actual, Start.AddDays(30), "nurse.kim");
        var devices = Dose(spray, Medication.Esketamine, AdministrationRoute.Intranasal, 56m, Start.AddDays(30).AddMinutes(10), null, 2, null, []);
        spray.Complete(Start.AddDays(30).AddHours(2), devices.EndedAt, "nurse.kim");
        esketamine.Discontinue("Patient moved away", Start.AddDays(31), "dr.lee", [spray]);

        // An oral course that was completed.
        var tablet = TreatmentSession.Schedule(oral, Start.AddDays(-60), "frontdesk.jo", now.AddDays(-60));
        tablet.CheckIn(69m, WeightBasis.Ideal, Start.AddDays(-60), "nurse.kim");
        var oralDose = Dose(tablet, Medication.Ketamine, AdministrationRoute.Oral, 150m, Start.AddDays(-60).AddMinutes(5), null, null, null, []);
        tablet.Complete(Start.AddDays(-60).AddHours(1), oralDose.EndedAt, "nurse.kim");
        oral.Complete(Start.AddDays(-39), "dr.lee", [tablet]);

        var baseline = Assessment.Record(patient.Id, Instrument.Phq9, [3, 3, 2, 2, 1, 2, 2, 1, 1], Start.AddDays(-1), "nurse.kim", Start.AddDays(-1));
        var voided = Assessment.Record(patient.Id, Instrument.Phq9, [0, 0, 0, 0, 0, 0, 0, 0, 0], Start.AddDays(3), "nurse.kim", Start.AddDays(3));
        voided.Void("Entered for the wrong patient", "nurse.kim", Start.AddDays(3).AddMinutes(5));
        var later = Assessment.Record(patient.Id, Instrument.Phq9, [1, 1, 1, 0, 0, 1, 0, 0, 0], Start.AddDays(14), "nurse.kim", Start.AddDays(14));
        var madrs = Assessment.Record(patient.Id, Instrument.Madrs, [4, 3, 4, 2, 2, 3, 3, 2, 3, 1], Start.AddDays(-1), "dr.lee", Start.AddDays(-1));

        return new PatientRecord(patient, [oral, iv, esketamine],
            [tablet, first, second, planned, arrived, cancelled, noShow, held, spray],
            [oralDose, infusion, wrong, replacement, devices],
            [bp, heartRate, spo2, wrongBp, cadss, moaas],
            [dizziness, other],
            [baseline, voided, later, madrs]);
    }

    private static DoseEntry Dose(TreatmentSession session, Medication medication, AdministrationRoute route, decimal mg, DateTime at, DateTime? infusionEnd,
        int? devices, string? overrideReason, string[] warnings, Guid? replaces = null)
    {
        var facts = new DoseFacts(session.Id, session.PatientId, medication, route, mg, at, infusionEnd is null ? null : at, infusionEnd, devices, "LOT-2026-07", replaces);
        var dose = DoseEntry.Record(facts, lotId: null, session.WeightKg!.Value, overrideReason, warnings, overrideReason is null ? "nurse.kim" : "dr.lee", at.AddMinutes(1));
        session.AddDose(dose.AmountUg, dose.AdministeredAt);
        return dose;
    }
}
