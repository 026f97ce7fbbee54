using System.Globalization;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Core.Dosing;

/// <summary>What a clinician asks to record, with the override they give for soft-limit warnings.</summary>
public sealed record DoseRequest(DoseFacts Facts, string? OverrideReason);

/// <summary>
/// Records a dose in a session after every rule of domain.md §3 that needs the record: session state,
/// the plan's medication and route, time consistency, the correction chain, the subanesthetic limits on
/// the session total and, before the first dose, the blood-pressure gate of §4. A prescriber's
/// overrideReason accepts soft-limit warnings and the gate; nothing passes a hard limit. Returns the
/// refusal instead of throwing; the caller saves.
/// </summary>
public static class DoseRecorder
{
    public static async Task<(DoseEntry? Dose, RuleViolation? Refusal)> RecordAsync(
        ClinicDbContext db, DoseLimitsOptions limits, MonitoringOptions monitoring, TreatmentSession session, DoseRequest request,
        string userName, bool mayOverride, DateTime nowUtc, CancellationToken ct)
    {
        var facts = request.Facts;
        if (session.CanDose(isReplacement: facts.ReplacesDoseId is not null) is { } notDosable)
        {
            return (null, notDosable);
        }

        var plan = await db.Plans.AsNoTracking().FirstAsync(p => p.Id == session.PlanId, ct);
        var patient = await db.Patients.AsNoTracking().FirstAsync(p => p.Id == session.PatientId, ct);
        if (patient.IsArchived)
        {
            return (null, RuleViolation.Conflict("patient.archived", "The patient is archived.", $"Patient {patient.Id} is archived and takes no doses."));
        }

        if (facts.Medication != plan.Medication || facts.Route != plan.Route)
        {
            return (null, RuleViolation.Unprocessable("dose.plan-mismatch", "The dose does not match the plan.",
                $"Plan {plan.Id} is {EnumNames.Kebab(plan.Medication)} by the {EnumNames.Kebab(plan.Route)} route; the dose is {EnumNames.Kebab(facts.Medication)} by the {EnumNames.Kebab(facts.Route)} route."));
        }

        var start = facts.InfusionStartedAt ?? facts.AdministeredAt;
        if (start < session.CheckedInAt || facts.InfusionEndedAt > session.CompletedAt || start > session.CompletedAt)
        {
            return (null, RuleViolation.Unprocessable("dose.time-inconsistent", "The dose lies outside the session.",
                "A dose is given between the session's check-in and its completion."));
        }

        if (facts.ReplacesDoseId is { } replaced &&
            !await db.Doses.AnyAsync(d => d.Id == replaced && d.SessionId == session.Id && d.Status == DoseStatus.EnteredInError, ct))
        {
            return (null, RuleViolation.Unprocessable("dose.invalid-replacement", "The replaced dose is not a voided dose of this session.",
                $"Dose {replaced} must belong to session {session.Id} and be marked entered-in-error first."));
        }

        if (facts.ReplacesDoseId is { } once && await db.Doses.AnyAsync(d => d.ReplacesDoseId == once && d.Status == DoseStatus.Completed, ct))
        {
            return (null, RuleViolation.Conflict("dose.already-replaced", "The voided dose already has a replacement.",
                $"Dose {once} was replaced before; void that replacement first if it is wrong too."));
        }

        var check = DoseLimitChecker.Check(limits, await ContextFor(db, session, patient.DateOfBirth, plan, facts, ct));
        var numbers = new Dictionary<string, object?>
        {
            ["totalMg"] = check.TotalMg,
            ["mgPerKg"] = check.TotalMgPerKg,
            ["weightKg"] = session.WeightKg,
        };
        if (check.Hard is { } hard)
        {
            numbers["limit"] = hard;
            return (null, RuleViolation.Unprocessable("dose.hard-limit", "The session total would exceed a hard limit.",
                $"{hard.Description} Session total would be {check.TotalMg.ToString(CultureInfo.InvariantCulture)} mg " +
                $"({check.TotalMgPerKg.ToString(CultureInfo.InvariantCulture)} mg/kg); limit {hard.Limit.ToString(CultureInfo.InvariantCulture)} {hard.Unit}. Nothing was recorded.",
                numbers));
        }

        var hasReason = !string.IsNullOrWhiteSpace(request.OverrideReason);
        var overridden = check.Warnings.Select(w => w.Code).ToList();
        if (session.DoseCount == 0)
        {
            // Pre-dose gate (domain.md §4; clinic hold rule 140/90, Spravato label: BP before dosing).
            var readings = await db.Observations.AsNoTracking()
                .Where(o => o.SessionId == session.Id && !o.Voided && o.Kind == ObservationKind.BloodPressure).ToListAsync(ct);
            var gate = BpGate.Evaluate(monitoring, [.. readings.Select(o => o.AsBpReading()!)], start);
            if (gate.Outcome != BpGateOutcome.Passed)
            {
                if (!(hasReason && mayOverride))
                {
                    return (null, RuleViolation.Unprocessable("bp.gate", "The pre-dose blood-pressure gate blocks this dose.",
                        gate.Detail + (mayOverride ? " Resend with overrideReason to dose anyway." : " Only a prescriber may override the gate."),
                        new Dictionary<string, object?>
                        {
                            ["gate"] = gate.Outcome == BpGateOutcome.Missing ? "missing" : "elevated",
                            ["reading"] = gate.Reading is { } r
                                ? new { observationId = r.Id, systolic = r.Systolic, diastolic = r.Diastolic, observedAt = r.TakenAtUtc }
                                : null,
                            ["overrideAllowed"] = mayOverride,
                        }));
                }

                overridden.Add(gate.Outcome == BpGateOutcome.Missing ? "bp.gate-missing" : "bp.gate-elevated");
            }
        }

        if (check.Warnings.Count > 0 && !(hasReason && mayOverride))
        {
            numbers["warnings"] = check.Warnings;
            numbers["overrideAllowed"] = mayOverride;
            return (null, RuleViolation.Unprocessable("dose.soft-limit", "The session total is above a soft limit.",
                (mayOverride
                    ? "Resend with overrideReason to record it anyway."
                    : "Only a prescriber may override a soft limit.") + " Warnings: " + string.Join(", ", check.Warnings.Select(w => w.Code)) + ".",
                numbers));
        }

        var dose = DoseEntry.Record(facts, session.WeightKg!.Value, request.OverrideReason, overridden, userName, nowUtc);
        db.Doses.Add(dose);
        session.AddDose(dose.AmountUg, dose.AdministeredAt);
        return (dose, null);
    }

    private static async Task<DoseContext> ContextFor(
        ClinicDbContext db, TreatmentSession session, DateOnly dateOfBirth, TreatmentPlan plan, DoseFacts facts, CancellationToken ct)
    {
        // "First session of a plan" (Spravato label, day 1): no other session of the plan has had a dose.
        var otherDosedSessions = db.Sessions.Where(s => s.PlanId == plan.Id && s.Id != session.Id && s.DoseCount > 0);
        var isFirst = !await otherDosedSessions.AnyAsync(ct);
        // The previous completed session's total, for the 28 mg step rule.
        var previousTotalUg = await otherDosedSessions
            .Where(s => s.Status == SessionStatus.Completed && s.ScheduledAt <= session.ScheduledAt)
            .OrderByDescending(s => s.ScheduledAt).Select(s => (long?)s.DoseTotalUg).FirstOrDefaultAsync(ct);
        var start = facts.InfusionStartedAt ?? facts.AdministeredAt;
        int? infusionMinutes = facts.InfusionStartedAt is { } from && facts.InfusionEndedAt is { } to
            ? (int)Math.Floor((to - from).TotalMinutes)
            : null;
        return new DoseContext(
            facts.Medication, facts.Route, session.DoseTotalMg, facts.AmountMg, session.WeightKg!.Value, infusionMinutes,
            AgeOn(dateOfBirth, plan.LocalDate(start)), isFirst, previousTotalUg is { } ug ? Amounts.ToMg(ug) : null);
    }

    /// <summary>
    /// Age in whole years on a date (the esketamine first-dose rule changes at 65). A 29 February birthday
    /// falls on 28 February in common years: the cautious reading, as the lower start dose applies a day earlier.
    /// </summary>
    public static int AgeOn(DateOnly dateOfBirth, DateOnly on)
    {
        var age = on.Year - dateOfBirth.Year;
        return on < dateOfBirth.AddYears(age) ? age - 1 : age;
    }
}
