using ClinicTracker.Core.Dosing;

namespace ClinicTracker.Core.Outcomes;

/// <summary>One completed session of a plan with a standing dose: the session's total and its dosing weight.</summary>
/// <param name="TotalMg">The session's non-voided dose total, mg.</param>
/// <param name="WeightKg">The weight used for dosing (domain.md §3); null only for a session that never recorded one.</param>
public sealed record ClinicOutcomeSession(decimal TotalMg, decimal? WeightKg);

/// <summary>Everything the clinic outcomes report needs of one plan, already in clinic-local dates.</summary>
/// <param name="PlanId">The plan.</param>
/// <param name="Medication">Its medication.</param>
/// <param name="Route">Its route.</param>
/// <param name="StartDate">Its start date (clinic-local): the baseline is the latest assessment on or before it (§7).</param>
/// <param name="EndedOn">The clinic-local date it was completed or discontinued; assessments after it belong to no outcome of this plan.</param>
/// <param name="DosedSessions">Its completed sessions with a standing dose.</param>
/// <param name="AdherenceRate">Its §10 adherence rate (0–1, 4 decimals); null while nothing is due.</param>
/// <param name="Assessments">The patient's standing assessments (any instrument, any order), dated in the plan's zone.</param>
public sealed record ClinicOutcomePlan(
    Guid PlanId,
    Medication Medication,
    AdministrationRoute Route,
    DateOnly StartDate,
    DateOnly? EndedOn,
    IReadOnlyList<ClinicOutcomeSession> DosedSessions,
    decimal? AdherenceRate,
    IReadOnlyList<ScoredAssessment> Assessments);

/// <summary>One instrument's figures for a group of plans.</summary>
/// <param name="Counted">Plans with a baseline and at least one later assessment of the instrument (domain.md §13).</param>
/// <param name="Responders">Counted plans whose latest assessment is a response (§7: ≤ 50 % of baseline).</param>
/// <param name="Remitters">Counted plans whose latest assessment is in remission (§7: PHQ-9 &lt; 5, MADRS ≤ 10).</param>
/// <param name="ResponseRate">Responders ÷ counted, 4 decimals; null when nothing is counted.</param>
/// <param name="RemissionRate">Remitters ÷ counted, 4 decimals; null when nothing is counted.</param>
/// <param name="ReachedResponse">Counted plans with a response at any assessment after the baseline (the time-to-response sample).</param>
/// <param name="MedianWeeksToFirstResponse">
/// Median over <paramref name="ReachedResponse"/> of the days from the plan's start to its first response, ÷ 7, 1 decimal; null with none.
/// </param>
public sealed record ClinicOutcomeFigures(
    int Counted, int Responders, int Remitters, decimal? ResponseRate, decimal? RemissionRate, int ReachedResponse,
    decimal? MedianWeeksToFirstResponse);

/// <summary>One group of the report.</summary>
/// <param name="Key">The group's key (a route, a <see cref="ClinicOutcomeBands"/> key, or "all").</param>
/// <param name="Plans">Plans in the group, counted or not.</param>
/// <param name="Phq9">PHQ-9 figures.</param>
/// <param name="Madrs">MADRS figures.</param>
public sealed record ClinicOutcomeGroup(string Key, int Plans, ClinicOutcomeFigures Phq9, ClinicOutcomeFigures Madrs);

/// <summary>The clinic outcomes report: all plans, and the three groupings of domain.md §13 (groups with no plan left out).</summary>
public sealed record ClinicOutcomeReport(
    ClinicOutcomeGroup Overall,
    IReadOnlyList<ClinicOutcomeGroup> ByRoute,
    IReadOnlyList<ClinicOutcomeGroup> ByDoseBand,
    IReadOnlyList<ClinicOutcomeGroup> ByAdherenceBand);

/// <summary>
/// Response and remission of a clinic's plans, grouped (domain.md §13), as a pure function over per-plan inputs.
/// Each plan's instrument outcome is <see cref="OutcomeCalculator"/>'s (§7), never judged again here.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A plan's assessments are the patient's, up to the day the plan ended (a completed or discontinued plan's
/// outcome is not changed by what happens under the next plan); an active plan takes every later one.</item>
/// <item>Counted (§13): a baseline and at least one later assessment of the instrument. The baseline is the latest on
/// or before the start date, so "later" is an assessment dated after the start; a plan whose only assessments precede
/// its start is not counted.</item>
/// <item>Responder and remitter: the plan's latest assessment (§7, as the patient's outcome page shows it).</item>
/// <item>First response: the first assessment after the baseline at which <see cref="OutcomeCalculator"/>, given the
/// assessments up to it, finds a response; weeks = (its clinic-local date − start date) ÷ 7. A plan that responded and
/// then relapsed reached a response (in the time sample) but is not a responder.</item>
/// </list>
/// </remarks>
public static class ClinicOutcomeCalculator
{
    public const string OverallKey = "all";

    public static ClinicOutcomeReport Calculate(OutcomeOptions options, IReadOnlyList<ClinicOutcomePlan> plans)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(plans);

        var judged = plans.Select(p => Judge(options, p)).ToList();
        return new ClinicOutcomeReport(
            Group(OverallKey, judged),
            Groups(judged, ClinicOutcomeBands.RouteOrder, j => j.RouteKey),
            Groups(judged, ClinicOutcomeBands.DoseOrder, j => j.DoseBand),
            Groups(judged, ClinicOutcomeBands.AdherenceOrder, j => j.AdherenceBand));
    }

    /// <summary>One instrument of one plan: whether it counts, responds, remits, and the days to its first response.</summary>
    internal sealed record PlanInstrument(bool Counted, bool Responder, bool Remitter, int? DaysToFirstResponse);

    private sealed record JudgedPlan(string RouteKey, string DoseBand, string AdherenceBand, PlanInstrument Phq9, PlanInstrument Madrs);

    private static readonly PlanInstrument NotCounted = new(false, false, false, null);

    private static JudgedPlan Judge(OutcomeOptions options, ClinicOutcomePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var median = ClinicOutcomeBands.MedianSessionDose(plan.Medication, plan.Route, plan.DosedSessions);
        var inScope = plan.EndedOn is { } ended ? plan.Assessments.Where(a => a.Date <= ended).ToList() : plan.Assessments;
        return new JudgedPlan(
            ClinicOutcomeBands.RouteKey(plan.Route),
            ClinicOutcomeBands.DoseBand(plan.Medication, plan.Route, median),
            ClinicOutcomeBands.AdherenceBand(plan.AdherenceRate),
            Instrument(options, plan.StartDate, inScope, Outcomes.Instrument.Phq9),
            Instrument(options, plan.StartDate, inScope, Outcomes.Instrument.Madrs));
    }

    internal static PlanInstrument Instrument(OutcomeOptions options, DateOnly start, IReadOnlyList<ScoredAssessment> assessments, Instrument instrument)
    {
        // OutcomeCalculator's own time order (assessed-at, then id), so the prefixes below are its trajectory's.
        var ordered = assessments.Where(a => a.Instrument == instrument).OrderBy(a => a.AssessedAtUtc).ThenBy(a => a.Id).ToList();
        var outcome = OutcomeCalculator.Calculate(options, ordered, start).SingleOrDefault();

        // domain.md §13: a plan counts when it has a baseline and at least one later assessment of the instrument.
        if (outcome?.Baseline is not { } baseline || outcome.Latest is not { } latest || latest.AssessmentId == baseline.AssessmentId)
        {
            return NotCounted;
        }

        int? days = null;
        var from = ordered.FindIndex(a => a.Id == baseline.AssessmentId);
        for (var i = from + 1; i < ordered.Count; i++)
        {
            // The outcome as it stood at assessment i: its response is §7's, judged by OutcomeCalculator itself. The
            // prefix starts at the baseline (everything after it is dated after the start, so it stays the baseline):
            // the patient's older history changes nothing and would make this quadratic in it.
            if (OutcomeCalculator.Calculate(options, ordered[from..(i + 1)], start).Single().Response == true)
            {
                days = ordered[i].Date.DayNumber - start.DayNumber;
                break;
            }
        }

        return new PlanInstrument(true, outcome.Response == true, outcome.Remission == true, days);
    }

    private static List<ClinicOutcomeGroup> Groups(List<JudgedPlan> judged, IReadOnlyList<string> order, Func<JudgedPlan, string> key)
    {
        var byKey = judged.ToLookup(key);
        return [.. order.Where(k => byKey[k].Any()).Select(k => Group(k, [.. byKey[k]]))];
    }

    private static ClinicOutcomeGroup Group(string key, List<JudgedPlan> plans) =>
        new(key, plans.Count, Figures(plans.Select(p => p.Phq9)), Figures(plans.Select(p => p.Madrs)));

    private static ClinicOutcomeFigures Figures(IEnumerable<PlanInstrument> instruments)
    {
        var counted = instruments.Where(i => i.Counted).ToList();
        var responders = counted.Count(i => i.Responder);
        var remitters = counted.Count(i => i.Remitter);
        var days = counted.Where(i => i.DaysToFirstResponse is not null).Select(i => (decimal)i.DaysToFirstResponse!.Value).ToList();
        var medianDays = ClinicOutcomeBands.Median(days);
        return new ClinicOutcomeFigures(
            counted.Count, responders, remitters, Rate(responders, counted.Count), Rate(remitters, counted.Count), days.Count,
            medianDays is { } d ? Math.Round(d / 7m, 1, MidpointRounding.AwayFromZero) : null);
    }

    private static decimal? Rate(int part, int whole) =>
        whole == 0 ? null : Math.Round((decimal)part / whole, 4, MidpointRounding.AwayFromZero);
}
