using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Outcomes;

namespace ClinicTracker.Api.Outcomes;

/// <summary>
/// A PHQ-9 or MADRS with its item answers (domain.md §7). The server computes the total and the severity
/// band; a PHQ-9 with item 9 above 0 opens a safety flag on the patient in the same save.
/// </summary>
public sealed record RecordAssessmentRequest
{
    /// <summary>phq9 (9 items, each 0–3) or madrs (10 items, each 0–6).</summary>
    [Required]
    public Instrument? Instrument { get; init; }

    /// <summary>The answers in questionnaire order, item 1 first: exactly 9 (PHQ-9) or 10 (MADRS).</summary>
    [Required]
    public IReadOnlyList<int>? Items { get; init; }

    /// <summary>When the patient was assessed (instant with offset); not in the future.</summary>
    [Required]
    public DateTimeOffset? AssessedAt { get; init; }

    /// <summary>Optional: the total the client computed. It must equal the sum of the items, or the request is a 400.</summary>
    public int? Total { get; init; }
}

/// <summary>A prescriber's acknowledgement of a safety flag.</summary>
public sealed record AcknowledgeSafetyFlagRequest
{
    /// <summary>What was done about it (e.g. safety plan reviewed, crisis line given), 1–1,000 characters.</summary>
    [Required]
    public string? ActionTaken { get; init; }
}

/// <summary>A recorded assessment with its server-computed score.</summary>
/// <param name="Id">Assessment id.</param>
/// <param name="PatientId">The patient.</param>
/// <param name="Instrument">phq9 or madrs.</param>
/// <param name="Items">The answers, item 1 first.</param>
/// <param name="Total">Sum of the answers (PHQ-9 0–27, MADRS 0–60).</param>
/// <param name="Band">Severity band: PHQ-9 minimal, mild, moderate, moderately-severe, severe; MADRS normal, mild, moderate, severe.</param>
/// <param name="AssessedAt">When the patient was assessed (UTC).</param>
/// <param name="Status">completed or entered-in-error.</param>
/// <param name="RecordedBy">Clinician who recorded it (from the token).</param>
/// <param name="RecordedAt">When it was recorded (UTC).</param>
/// <param name="VoidedAt">When it was voided.</param>
/// <param name="VoidedBy">Who voided it.</param>
/// <param name="VoidReason">Why.</param>
/// <param name="SafetyFlagId">The safety flag this assessment opened (PHQ-9 item 9 above 0), if any.</param>
public sealed record AssessmentResponse(
    Guid Id, Guid PatientId, Instrument Instrument, IReadOnlyList<int> Items, int Total, string Band, DateTime AssessedAt,
    AssessmentStatus Status, string RecordedBy, DateTime RecordedAt, DateTime? VoidedAt, string? VoidedBy, string? VoidReason,
    Guid? SafetyFlagId)
{
    /// <summary>The response, with the id of the assessment's flag looked up in the same query.</summary>
    internal static Expression<Func<Assessment, AssessmentResponse>> Projection(ClinicDbContext db) => a => new AssessmentResponse(
        a.Id, a.PatientId, a.Instrument, a.Items, a.Total, a.Band, a.AssessedAt, a.Status, a.RecordedBy, a.RecordedAt,
        a.VoidedAt, a.VoidedBy, a.VoidReason,
        db.SafetyFlags.Where(f => f.AssessmentId == a.Id).Select(f => (Guid?)f.Id).FirstOrDefault());

    internal static AssessmentResponse From(Assessment a, Guid? safetyFlagId) => new(
        a.Id, a.PatientId, a.Instrument, a.Items, a.Total, a.Band, a.AssessedAt, a.Status, a.RecordedBy, a.RecordedAt,
        a.VoidedAt, a.VoidedBy, a.VoidReason, safetyFlagId);
}

/// <summary>A safety flag on a patient (domain.md §7): open until a prescriber acknowledges it.</summary>
/// <param name="Id">Flag id.</param>
/// <param name="PatientId">The patient.</param>
/// <param name="AssessmentId">The PHQ-9 that raised it.</param>
/// <param name="Reason">Why it was raised: phq9-item9 (thoughts of self-harm, LOINC 44260-8).</param>
/// <param name="Item9Score">The PHQ-9 item 9 answer, 1–3.</param>
/// <param name="RaisedAt">When it was raised (UTC): when the assessment was recorded.</param>
/// <param name="Status">open or acknowledged.</param>
/// <param name="AcknowledgedBy">Prescriber who acknowledged it (from the token).</param>
/// <param name="AcknowledgedAt">When (UTC).</param>
/// <param name="ActionTaken">What was done about it.</param>
/// <param name="AssessmentVoided">True when the raising assessment was later marked entered-in-error; the flag still needs acknowledging.</param>
public sealed record SafetyFlagResponse(
    Guid Id, Guid PatientId, Guid AssessmentId, string Reason, int Item9Score, DateTime RaisedAt, SafetyFlagStatus Status,
    string? AcknowledgedBy, DateTime? AcknowledgedAt, string? ActionTaken, bool AssessmentVoided)
{
    internal static Expression<Func<SafetyFlag, SafetyFlagResponse>> Projection(ClinicDbContext db) => f => new SafetyFlagResponse(
        f.Id, f.PatientId, f.AssessmentId, f.Reason, f.Item9Score, f.RaisedAt, f.Status, f.AcknowledgedBy, f.AcknowledgedAt,
        f.ActionTaken, db.Assessments.Any(a => a.Id == f.AssessmentId && a.Status == AssessmentStatus.EnteredInError));

    internal static SafetyFlagResponse From(SafetyFlag f, bool assessmentVoided) => new(
        f.Id, f.PatientId, f.AssessmentId, f.Reason, f.Item9Score, f.RaisedAt, f.Status, f.AcknowledgedBy, f.AcknowledgedAt,
        f.ActionTaken, assessmentVoided);
}

/// <summary>A patient's outcomes per instrument (domain.md §7), from the assessments that stand (voided ones excluded).</summary>
/// <param name="PatientId">The patient.</param>
/// <param name="Plan">The plan whose start date sets the baseline: the one asked for, else the patient's most recent; null without a plan.</param>
/// <param name="Criteria">The response and remission cut-offs applied (configuration section "Outcomes").</param>
/// <param name="Instruments">One entry per instrument the patient has assessments of: phq9 first, then madrs.</param>
public sealed record OutcomesResponse(
    Guid PatientId, OutcomePlanResponse? Plan, OutcomeCriteriaResponse Criteria, IReadOnlyList<InstrumentOutcomeResponse> Instruments);

/// <summary>The plan an outcome report is measured against.</summary>
/// <param name="Id">Plan id.</param>
/// <param name="StartDate">Clinic-local start date: the baseline is the latest assessment on or before it.</param>
/// <param name="TimeZone">IANA zone the assessment dates are local to (without a plan, dates are UTC dates).</param>
public sealed record OutcomePlanResponse(Guid Id, DateOnly StartDate, string TimeZone);

/// <summary>The cut-offs of domain.md §7 as configured.</summary>
/// <param name="ResponseFraction">Response: latest total at most this fraction of the baseline (default 0.5).</param>
/// <param name="Phq9RemissionBelow">PHQ-9 remission: latest total below this (default 5).</param>
/// <param name="MadrsRemissionAtMost">MADRS remission: latest total at most this (default 10).</param>
public sealed record OutcomeCriteriaResponse(decimal ResponseFraction, int Phq9RemissionBelow, int MadrsRemissionAtMost);

/// <summary>The outcome of one instrument.</summary>
/// <param name="Instrument">phq9 or madrs.</param>
/// <param name="Baseline">The latest assessment dated on or before the plan's start; null without a plan or without one that early.</param>
/// <param name="Latest">The most recent assessment.</param>
/// <param name="Change">Latest − baseline total; negative is improvement. Null without a baseline.</param>
/// <param name="PercentChange">Change as a percentage of the baseline, 1 decimal; null without a baseline or when it is 0.</param>
/// <param name="Response">Latest ≤ response fraction × baseline (exactly half counts); null without a baseline; false when the baseline is 0.</param>
/// <param name="Remission">Latest below the instrument's remission cut-off.</param>
/// <param name="Trajectory">Every standing assessment of the instrument, oldest first.</param>
public sealed record InstrumentOutcomeResponse(
    Instrument Instrument, OutcomePointResponse? Baseline, OutcomePointResponse? Latest, int? Change, decimal? PercentChange,
    bool? Response, bool? Remission, IReadOnlyList<OutcomePointResponse> Trajectory)
{
    internal static InstrumentOutcomeResponse From(InstrumentOutcome o) => new(
        o.Instrument, OutcomePointResponse.From(o.Baseline), OutcomePointResponse.From(o.Latest), o.Change, o.PercentChange,
        o.Response, o.Remission, [.. o.Trajectory.Select(p => OutcomePointResponse.From(p)!)]);
}

/// <summary>One assessment on an outcome trajectory.</summary>
/// <param name="AssessmentId">The assessment.</param>
/// <param name="Date">Its clinic-local date (in the plan's time zone).</param>
/// <param name="AssessedAt">When it was assessed (UTC).</param>
/// <param name="Total">Its total.</param>
/// <param name="Band">Its severity band.</param>
public sealed record OutcomePointResponse(Guid AssessmentId, DateOnly Date, DateTime AssessedAt, int Total, string Band)
{
    internal static OutcomePointResponse? From(OutcomePoint? p) =>
        p is null ? null : new(p.AssessmentId, p.Date, p.AssessedAtUtc, p.Total, p.Band);
}
