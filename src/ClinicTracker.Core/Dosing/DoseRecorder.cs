using System.Globalization;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using ClinicTracker.Core.Stock;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Core.Dosing;

/// <summary>What a clinician asks to record, with the override they give: a reason and the warning codes it accepts.</summary>
public sealed record DoseRequest(DoseFacts Facts, string? OverrideReason, IReadOnlyCollection<string> AcceptedWarnings);

/// <summary>
/// Records a dose in a session after every rule of domain.md §3 that needs the record: session and plan
/// state, the plan's medication and route, time consistency, the correction chain, the subanesthetic limits
/// on the patient's 24-hour total, the lot it is drawn from (§12) and, before the first dose, the blood-pressure gate of §4. Every warning
/// that stands in the way is listed at once; a prescriber's override must name each one (acceptedWarnings).
/// Nothing passes a hard limit. Returns the refusal instead of throwing; the caller saves.
/// </summary>
public static class DoseRecorder
{
    public static async Task<(DoseEntry? Dose, RuleViolation? Refusal)> RecordAsync(
        ClinicDbContext db, DoseLimitsOptions limits, MonitoringOptions monitoring, StockOptions stock, TreatmentSession session, DoseRequest request,
        string userName, bool mayOverride, DateTime nowUtc, CancellationToken ct)
    {
        var facts = request.Facts;
        var isReplacement = facts.ReplacesDoseId is not null;
        if (session.CanDose(isReplacement) is { } notDosable)
        {
            return (null, notDosable);
        }

        var plan = await db.Plans.AsNoTracking().FirstAsync(p => p.Id == session.PlanId, ct);
        // domain.md §4: only an active plan takes doses. A replacement corrects what was given while it was
        // active (the voided entry it replaces is in this session), so it is not a new administration.
        if (!isReplacement && plan.RefuseUnlessActive("doses") is { } inactive)
        {
            return (null, inactive);
        }

        // Before anything about the patient's other doses is read: a concurrent dose in another session (a
        // replacement on a finished visit, say) waits here until this one is committed or refused.
        await PatientWriteLock.HoldAsync(db, session.PatientId, ct);
        var patient = await db.Patients.AsNoTracking().FirstAsync(p => p.Id == session.PatientId, ct);
        if (patient.RefuseIfArchived("doses") is { } archived)
        {
            return (null, archived);
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

        // domain.md §12: a lot of the session's site, of this product, in date and (enforced) with enough left. A stock
        // refusal cannot be overridden, so it comes before the limits a prescriber might otherwise override in vain.
        var (lotId, stockRefusal) = await StockUse.LotForAsync(db, stock,
            new StockDraw(session.SiteId, facts.Medication, facts.Route, facts.LotNumber, Amounts.ToUg(facts.AmountMg), plan.LocalDate(start)), ct);
        if (stockRefusal is not null)
        {
            return (null, stockRefusal);
        }

        // domain.md §3: the patient's standing doses of this medication in the 24 hours around the new one, in any session.
        var window = DoseWindow.Heaviest(await StandingDosesAround(db, session.PatientId, facts.Medication, start, ct), start);
        var check = DoseLimitChecker.Check(limits, await ContextFor(db, session, patient.DateOfBirth, plan, facts, start, window, ct));
        var numbers = new Dictionary<string, object?>
        {
            ["totalMg"] = check.TotalMg,
            ["mgPerKg"] = check.TotalMgPerKg,
            ["weightKg"] = session.WeightKg,
            ["countedDoses"] = window.Counted.Select(d => new { id = d.Id, sessionId = d.SessionId, amountMg = d.AmountMg, administeredAt = d.AdministeredAt }).ToList(),
        };
        if (check.Hard is { } hard)
        {
            numbers["limit"] = hard;
            return (null, RuleViolation.Unprocessable("dose.hard-limit", "The 24-hour total would exceed a hard limit.",
                $"{hard.Description} 24-hour total would be {check.TotalMg.ToString(CultureInfo.InvariantCulture)} mg " +
                $"({check.TotalMgPerKg.ToString(CultureInfo.InvariantCulture)} mg/kg) with {Doses(window.Counted.Count)} counted; " +
                $"limit {hard.Limit.ToString(CultureInfo.InvariantCulture)} {hard.Unit}. Nothing was recorded.",
                numbers));
        }

        // Everything that stands in the way, at once: the pre-dose gate first (domain.md §4), then the soft limits.
        var raised = new List<DoseWarning>();
        BpGateResult? gate = null;
        if (session.DoseCount == 0)
        {
            // Pre-dose gate (clinic hold rule 140/90, Spravato label: BP before dosing), before the session's first standing dose.
            var readings = await db.Observations.AsNoTracking()
                .Where(o => o.SessionId == session.Id && !o.Voided && o.Kind == ObservationKind.BloodPressure).ToListAsync(ct);
            gate = BpGate.Evaluate(monitoring, [.. readings.Select(o => o.AsBpReading()!)], start);
            if (gate.Outcome != BpGateOutcome.Passed)
            {
                raised.Add(new DoseWarning(gate.Outcome == BpGateOutcome.Missing ? DoseLimitCodes.BpGateMissing : DoseLimitCodes.BpGateElevated, gate.Detail));
            }
        }

        raised.AddRange(check.Warnings);
        var hasReason = !string.IsNullOrWhiteSpace(request.OverrideReason);
        var notAccepted = DoseOverride.NotAccepted(raised, request.AcceptedWarnings, hasReason, mayOverride);
        if (notAccepted.Count > 0)
        {
            return (null, Refusal(raised, notAccepted, gate, numbers, mayOverride));
        }

        var dose = DoseEntry.Record(facts, lotId, session.WeightKg!.Value, raised.Count == 0 ? null : request.OverrideReason,
            raised.Select(w => w.Code), userName, nowUtc);
        db.Doses.Add(dose);
        session.AddDose(dose.AmountUg, dose.AdministeredAt);
        return (dose, null);
    }

    /// <summary>
    /// The refusal of a dose some raised warning of which is not accepted: <c>bp.gate</c> while the gate is among
    /// them, else <c>dose.soft-limit</c>; either lists every raised warning and the ones not accepted.
    /// </summary>
    private static RuleViolation Refusal(
        IReadOnlyList<DoseWarning> raised, IReadOnlyList<string> notAccepted, BpGateResult? gate, Dictionary<string, object?> numbers,
        bool mayOverride)
    {
        numbers["warnings"] = raised;
        numbers["notAccepted"] = notAccepted;
        numbers["overrideAllowed"] = mayOverride;
        var how = mayOverride
            ? " Resend with overrideReason and acceptedWarnings naming each code to record it anyway."
            : " Only a prescriber may override.";
        var listed = " Warnings: " + string.Join(", ", raised.Select(w => w.Code))
            + (notAccepted.Count < raised.Count ? "; not accepted: " + string.Join(", ", notAccepted) : "") + ".";
        if (gate is not null && notAccepted.Any(c => c is DoseLimitCodes.BpGateMissing or DoseLimitCodes.BpGateElevated))
        {
            numbers["gate"] = gate.Outcome == BpGateOutcome.Missing ? "missing" : "elevated";
            numbers["reading"] = gate.Reading is { } r
                ? new { observationId = r.Id, systolic = r.Systolic, diastolic = r.Diastolic, observedAt = r.TakenAtUtc }
                : null;
            return RuleViolation.Unprocessable("bp.gate", "The pre-dose blood-pressure gate blocks this dose.", gate.Detail + how + listed, numbers);
        }

        return RuleViolation.Unprocessable("dose.soft-limit", "The 24-hour total is above a soft limit.", how.TrimStart() + listed, numbers);
    }

    private static string Doses(int count) => count == 1 ? "1 other dose" : $"{count} other doses";

    /// <summary>The patient's standing doses of <paramref name="medication"/> that could share a 24-hour window with one at <paramref name="at"/>.</summary>
    private static async Task<IReadOnlyList<CountedDose>> StandingDosesAround(
        ClinicDbContext db, Guid patientId, Medication medication, DateTime at, CancellationToken ct)
    {
        var (after, before) = DoseWindow.Around(at);
        return await db.Doses.AsNoTracking()
            .Where(d => d.PatientId == patientId && d.AdministeredAt > after && d.AdministeredAt < before
                        && d.Medication == medication && d.Status == DoseStatus.Completed)
            .Select(d => new CountedDose(d.Id, d.SessionId, d.AmountUg, d.AdministeredAt))
            .ToListAsync(ct);
    }

    private static async Task<DoseContext> ContextFor(
        ClinicDbContext db, TreatmentSession session, DateOnly dateOfBirth, TreatmentPlan plan, DoseFacts facts, DateTime start,
        DoseWindowTotal window, CancellationToken ct)
    {
        // "First session of a plan" (Spravato label, day 1): no other session of the plan has had a dose.
        var otherDosedSessions = db.Sessions.Where(s => s.PlanId == plan.Id && s.Id != session.Id && s.DoseCount > 0);
        var isFirst = !await otherDosedSessions.AnyAsync(ct);
        // The previous completed session's total, for the 28 mg step rule.
        var previousTotalUg = await otherDosedSessions
            .Where(s => s.Status == SessionStatus.Completed && s.ScheduledAt <= session.ScheduledAt)
            .OrderByDescending(s => s.ScheduledAt).Select(s => (long?)s.DoseTotalUg).FirstOrDefaultAsync(ct);
        decimal? infusionMinutes = facts.InfusionStartedAt is { } from && facts.InfusionEndedAt is { } to ? Infusions.Minutes(from, to) : null;
        return new DoseContext(
            facts.Medication, facts.Route, window.PriorMg, facts.AmountMg, session.WeightKg!.Value, infusionMinutes,
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
