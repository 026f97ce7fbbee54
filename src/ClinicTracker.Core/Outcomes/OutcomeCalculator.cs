namespace ClinicTracker.Core.Outcomes;

/// <summary>One scored assessment of a patient, as the outcome report needs it.</summary>
/// <param name="Id">The assessment's id.</param>
/// <param name="Instrument">PHQ-9 or MADRS.</param>
/// <param name="Date">The clinic-local date of the assessment (computed by the caller).</param>
/// <param name="AssessedAtUtc">When it was assessed, UTC.</param>
/// <param name="Total">The server-computed total.</param>
public sealed record ScoredAssessment(Guid Id, Instrument Instrument, DateOnly Date, DateTime AssessedAtUtc, int Total);

/// <summary>One assessment on the trajectory, with its severity band.</summary>
public sealed record OutcomePoint(Guid AssessmentId, DateOnly Date, DateTime AssessedAtUtc, int Total, string Band);

/// <summary>The outcome of one instrument for a patient (domain.md §7).</summary>
/// <param name="Instrument">PHQ-9 or MADRS.</param>
/// <param name="Baseline">The latest assessment dated on or before the plan's start; null without one.</param>
/// <param name="Latest">The most recent assessment.</param>
/// <param name="Change">Latest − baseline; negative is improvement. Null without a baseline.</param>
/// <param name="PercentChange">Change / baseline × 100, 1 decimal (away from zero); null without a baseline or when it is 0.</param>
/// <param name="Response">Latest ≤ response fraction × baseline; null without a baseline; false when the baseline is 0.</param>
/// <param name="Remission">Latest below the instrument's remission cut-off; null when there is no assessment.</param>
/// <param name="Trajectory">Every assessment of the instrument, oldest first.</param>
public sealed record InstrumentOutcome(
    Instrument Instrument,
    OutcomePoint? Baseline,
    OutcomePoint? Latest,
    int? Change,
    decimal? PercentChange,
    bool? Response,
    bool? Remission,
    IReadOnlyList<OutcomePoint> Trajectory);

/// <summary>
/// Baseline, latest, change, response and remission per instrument (domain.md §7), as a pure function.
/// </summary>
/// <remarks>
/// <para>Interpretations where §7 leaves room:</para>
/// <list type="bullet">
/// <item>
/// Time order is <see cref="ScoredAssessment.AssessedAtUtc"/>, ties broken by id, so the result never
/// depends on input order. "On or before the plan's start" compares the clinic-local
/// <see cref="ScoredAssessment.Date"/> with the start date, so an assessment on the start day counts.
/// </item>
/// <item>
/// Without a plan start date, or with no assessment on or before it, there is no baseline and change,
/// percent change and response are null; remission is still judged on the latest score.
/// </item>
/// <item>
/// When every assessment precedes the start, the latest is the baseline itself: change 0, percent 0,
/// response false (for a baseline above 0). The report shows the state before treatment, not a gain.
/// </item>
/// <item>
/// A baseline of 0: percent change is null (undefined), and response is false. Response means a
/// reduction of at least half the symptom load; a patient with no symptoms at baseline has none to
/// reduce, so even a latest of 0 (which would satisfy 0 ≤ 0.5 × 0 literally) is not a response.
/// </item>
/// <item>
/// Response compares <c>latest ≤ fraction × baseline</c> exactly in decimal, never a rounded percentage,
/// so baseline 15 → latest 7 is a response (7 ≤ 7.5) and 8 is not.
/// </item>
/// </list>
/// </remarks>
public static class OutcomeCalculator
{
    /// <exception cref="ArgumentOutOfRangeException">A total is outside the instrument's range.</exception>
    public static IReadOnlyList<InstrumentOutcome> Calculate(
        OutcomeOptions options, IReadOnlyList<ScoredAssessment> assessments, DateOnly? planStartDate)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(assessments);

        var outcomes = new List<InstrumentOutcome>(2);
        foreach (var instrument in (Instrument[])[Instrument.Phq9, Instrument.Madrs])
        {
            var trajectory = assessments
                .Where(a => a.Instrument == instrument)
                .OrderBy(a => a.AssessedAtUtc)
                .ThenBy(a => a.Id)
                .Select(a => new OutcomePoint(a.Id, a.Date, a.AssessedAtUtc, a.Total, AssessmentScoring.Band(instrument, a.Total)))
                .ToList();
            if (trajectory.Count == 0)
            {
                continue;
            }

            outcomes.Add(Outcome(options, instrument, trajectory, planStartDate));
        }

        return outcomes;
    }

    private static InstrumentOutcome Outcome(
        OutcomeOptions options, Instrument instrument, List<OutcomePoint> trajectory, DateOnly? planStartDate)
    {
        var latest = trajectory[^1];

        // domain.md §7: baseline = the latest assessment of that instrument on or before the plan's start.
        var baseline = planStartDate is { } start ? trajectory.LastOrDefault(p => p.Date <= start) : null;

        // domain.md §7 (defaults): remission PHQ-9 < 5, MADRS ≤ 10.
        var remission = instrument == Instrument.Phq9
            ? latest.Total < options.Phq9RemissionBelow
            : latest.Total <= options.MadrsRemissionAtMost;

        if (baseline is null)
        {
            return new InstrumentOutcome(instrument, null, latest, null, null, null, remission, trajectory);
        }

        var change = latest.Total - baseline.Total;
        decimal? percent = baseline.Total == 0
            ? null
            : Math.Round(change * 100m / baseline.Total, 1, MidpointRounding.AwayFromZero);

        // domain.md §7: response = total ≤ 50 % of baseline; exactly half counts.
        var response = baseline.Total > 0 && latest.Total <= options.ResponseFraction * baseline.Total;

        return new InstrumentOutcome(instrument, baseline, latest, change, percent, response, remission, trajectory);
    }
}
