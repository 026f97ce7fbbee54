using ClinicTracker.Api.Outcomes;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Outcomes;

namespace ClinicTracker.Api.Reports;

/// <summary>
/// Response and remission of the clinic's plans, grouped by route, dose band and adherence band (domain.md §13;
/// explained for clinic managers in docs/outcomes.md). Descriptive figures for the clinic's own quality review, not
/// evidence: the groups differ in who was treated, not only in how.
/// </summary>
/// <param name="From">Plans that started on or after this date (as requested; null = no lower bound).</param>
/// <param name="To">Plans that started on or before this date (as requested; null = no upper bound).</param>
/// <param name="Medication">The medication filter, if any.</param>
/// <param name="Route">The route filter, if any.</param>
/// <param name="Criteria">The response and remission cut-offs the figures use (domain.md §7, as configured).</param>
/// <param name="Overall">Every plan of the report in one group (key <c>all</c>).</param>
/// <param name="ByRoute">One group per route that has plans, in the order intravenous, intranasal, oral, sublingual.</param>
/// <param name="ByDoseBand">
/// One group per dose band that has plans, in the order iv-up-to-0.5, iv-0.5-to-0.75, iv-above-0.75, esketamine-56,
/// esketamine-84, not-banded (routes without §13 bands: oral, sublingual, intranasal racemic ketamine), unknown (no dosed
/// completed session).
/// </param>
/// <param name="ByAdherenceBand">One group per adherence band that has plans: at-least-0.8, 0.5-to-0.8, below-0.5, unknown (nothing due yet).</param>
public sealed record OutcomesReportResponse(
    DateOnly? From,
    DateOnly? To,
    Medication? Medication,
    AdministrationRoute? Route,
    OutcomeCriteriaResponse Criteria,
    OutcomeGroupResponse Overall,
    IReadOnlyList<OutcomeGroupResponse> ByRoute,
    IReadOnlyList<OutcomeGroupResponse> ByDoseBand,
    IReadOnlyList<OutcomeGroupResponse> ByAdherenceBand)
{
    internal static OutcomesReportResponse Of(ClinicOutcomeFilter filter, OutcomeOptions criteria, ClinicOutcomeReport report) => new(
        filter.From, filter.To, filter.Medication, filter.Route,
        new OutcomeCriteriaResponse(criteria.ResponseFraction, criteria.Phq9RemissionBelow, criteria.MadrsRemissionAtMost),
        OutcomeGroupResponse.From(report.Overall),
        [.. report.ByRoute.Select(OutcomeGroupResponse.From)],
        [.. report.ByDoseBand.Select(OutcomeGroupResponse.From)],
        [.. report.ByAdherenceBand.Select(OutcomeGroupResponse.From)]);
}

/// <summary>One group of plans and its figures per instrument.</summary>
/// <param name="Key">Stable key of the group (a route, a band, or <c>all</c>); clients branch on it, never on the label.</param>
/// <param name="Label">A short English label for a chart or a table, e.g. "IV ≤ 0.5 mg/kg".</param>
/// <param name="Plans">Plans in the group, whether or not an instrument counts them.</param>
/// <param name="Phq9">PHQ-9 figures.</param>
/// <param name="Madrs">MADRS figures.</param>
public sealed record OutcomeGroupResponse(string Key, string Label, int Plans, OutcomeFiguresResponse Phq9, OutcomeFiguresResponse Madrs)
{
    internal static OutcomeGroupResponse From(ClinicOutcomeGroup g) =>
        new(g.Key, OutcomeGroupLabels.Of(g.Key), g.Plans, OutcomeFiguresResponse.From(g.Phq9), OutcomeFiguresResponse.From(g.Madrs));
}

/// <summary>One instrument's figures for a group (domain.md §7, §13).</summary>
/// <param name="Counted">Plans with a baseline (the latest assessment on or before the plan's start) and at least one later assessment.</param>
/// <param name="Responders">Counted plans whose latest assessment is at most half the baseline.</param>
/// <param name="Remitters">Counted plans whose latest assessment is in remission (PHQ-9 below 5, MADRS 10 or less, by default).</param>
/// <param name="ResponseRate">responders / counted, 0–1 with 4 decimals; null when nothing is counted.</param>
/// <param name="RemissionRate">remitters / counted, 0–1 with 4 decimals; null when nothing is counted.</param>
/// <param name="ReachedResponse">Counted plans that met the response criterion at any assessment after the baseline (even if the latest did not).</param>
/// <param name="MedianWeeksToFirstResponse">Median weeks from the plan's start to its first response, over reachedResponse plans, 1 decimal; null with none.</param>
public sealed record OutcomeFiguresResponse(
    int Counted, int Responders, int Remitters, decimal? ResponseRate, decimal? RemissionRate, int ReachedResponse,
    decimal? MedianWeeksToFirstResponse)
{
    internal static OutcomeFiguresResponse From(ClinicOutcomeFigures f) =>
        new(f.Counted, f.Responders, f.Remitters, f.ResponseRate, f.RemissionRate, f.ReachedResponse, f.MedianWeeksToFirstResponse);
}

/// <summary>The English labels of the report's group keys (the JSON's <c>label</c> and the chart's group labels).</summary>
internal static class OutcomeGroupLabels
{
    public static string Of(string key) => key switch
    {
        ClinicOutcomeCalculator.OverallKey => "All plans",
        "intravenous" => "Intravenous",
        "intranasal" => "Intranasal",
        "oral" => "Oral",
        "sublingual" => "Sublingual",
        ClinicOutcomeBands.IvUpTo05 => "IV ≤ 0.5 mg/kg",
        ClinicOutcomeBands.Iv05To075 => "IV 0.5–0.75 mg/kg",
        ClinicOutcomeBands.IvAbove075 => "IV > 0.75 mg/kg",
        ClinicOutcomeBands.Esketamine56 => "Esketamine 56 mg",
        ClinicOutcomeBands.Esketamine84 => "Esketamine 84 mg",
        ClinicOutcomeBands.NotBanded => "Not banded",
        ClinicOutcomeBands.AdherenceAtLeast08 => "Adherence ≥ 0.8",
        ClinicOutcomeBands.Adherence05To08 => "Adherence 0.5–0.8",
        ClinicOutcomeBands.AdherenceBelow05 => "Adherence < 0.5",
        ClinicOutcomeBands.Unknown => "Unknown",
        _ => key,
    };
}
