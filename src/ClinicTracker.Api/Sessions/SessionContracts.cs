using System.ComponentModel.DataAnnotations;
using ClinicTracker.Api.Doses;
using ClinicTracker.Api.Monitoring;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Sessions;

namespace ClinicTracker.Api.Sessions;

/// <summary>A session to schedule for one of the patient's active plans.</summary>
public sealed record ScheduleSessionRequest
{
    /// <summary>The plan the session belongs to (its medication and route apply).</summary>
    [Required]
    public Guid? PlanId { get; init; }

    /// <summary>When the visit is booked (instant with offset).</summary>
    [Required]
    public DateTimeOffset? ScheduledAt { get; init; }

    /// <summary>
    /// Where the visit takes place: the plan's site (the default), or another site that is the patient's home site
    /// or has the record shared with it (domain.md §14).
    /// </summary>
    public Guid? SiteId { get; init; }
}

/// <summary>Check-in: the patient has arrived; records the dosing weight.</summary>
public sealed record CheckInRequest
{
    /// <summary>Weight in kg used for dosing, 30–300 (domain.md §3).</summary>
    [Required]
    public decimal? WeightKg { get; init; }

    /// <summary>actual or ideal body weight.</summary>
    [Required]
    public WeightBasis? WeightBasis { get; init; }

    /// <summary>When the patient checked in (default now; not in the future).</summary>
    public DateTimeOffset? At { get; init; }
}

/// <summary>Cancellation of a session that has not started.</summary>
public sealed record CancelSessionRequest
{
    /// <summary>patient or clinic: adherence reports it as cancelled-by-patient or cancelled-by-clinic.</summary>
    [Required]
    public CancelledBy? CancelledBy { get; init; }

    /// <summary>Reason, up to 1,000 characters.</summary>
    public string? Reason { get; init; }

    /// <summary>When it was cancelled (default now; not in the future).</summary>
    public DateTimeOffset? At { get; init; }
}

/// <summary>A session held because the pre-dose safety gate failed.</summary>
public sealed record HoldSessionRequest
{
    /// <summary>Why dosing was withheld, 1–1,000 characters.</summary>
    [Required]
    public string? Reason { get; init; }

    /// <summary>When (default now; not in the future).</summary>
    public DateTimeOffset? At { get; init; }
}

/// <summary>A transition that needs only its time: no-show or complete. The body is optional.</summary>
public sealed record SessionTransitionRequest
{
    /// <summary>When it happened (default now; not in the future).</summary>
    public DateTimeOffset? At { get; init; }
}

/// <summary>Total of a session's non-voided doses of one medication.</summary>
/// <param name="Medication">The medication.</param>
/// <param name="Route">Its route.</param>
/// <param name="TotalMg">Total mg given.</param>
/// <param name="MgPerKg">Total mg per kg of the session's dosing weight (3 decimals).</param>
/// <param name="DoseCount">Number of non-voided dose entries.</param>
public sealed record DoseSummary(Medication Medication, AdministrationRoute Route, decimal TotalMg, decimal? MgPerKg, int DoseCount);

/// <summary>
/// One row of a patient's session history. The front desk sees the list with status and times only (domain.md §9):
/// for it the clinical fields (weight, dose summary, flag) are null.
/// </summary>
/// <param name="Id">Session id.</param>
/// <param name="PlanId">Plan id.</param>
/// <param name="ScheduledAt">Booked time (UTC).</param>
/// <param name="Status">Lifecycle status.</param>
/// <param name="CheckedInAt">Check-in time.</param>
/// <param name="CompletedAt">Completion time.</param>
/// <param name="WeightKg">Dosing weight (null before check-in, and for callers who may not read clinical data).</param>
/// <param name="DoseSummary">Dose totals per medication (empty when nothing was given; null for callers who may not read clinical data).</param>
/// <param name="Flagged">True when MOAA/S 0 or SpO2 below 90 was observed (null for callers who may not read clinical data).</param>
/// <param name="SiteId">The site the visit takes place at (domain.md §14).</param>
public sealed record SessionHistoryItem(
    Guid Id, Guid PlanId, DateTime ScheduledAt, SessionStatus Status, DateTime? CheckedInAt, DateTime? CompletedAt,
    decimal? WeightKg, IReadOnlyList<DoseSummary>? DoseSummary, bool? Flagged, Guid SiteId)
{
    internal static SessionHistoryItem From(TreatmentSession s, bool clinical) => clinical
        ? new(s.Id, s.PlanId, s.ScheduledAt, s.Status, s.CheckedInAt, s.CompletedAt, s.WeightKg, Summary(s), s.Flagged, s.SiteId)
        : new(s.Id, s.PlanId, s.ScheduledAt, s.Status, s.CheckedInAt, s.CompletedAt, null, null, null, s.SiteId);

    internal static IReadOnlyList<DoseSummary> Summary(TreatmentSession s) => s.DoseCount == 0
        ? []
        : [new DoseSummary(s.Medication, s.Route, s.DoseTotalMg, DoseMath.MgPerKg(s.DoseTotalMg, s.WeightKg), s.DoseCount)];
}

/// <summary>
/// A session with everything recorded in it. The front desk gets it only as the answer to its own scheduling,
/// cancelling and no-show requests, and then without clinical data (domain.md §9): weight, reason, dose summary,
/// doses, waste, observations, adverse events and monitoring are null.
/// </summary>
/// <param name="Id">Session id.</param>
/// <param name="PatientId">Patient id.</param>
/// <param name="PlanId">Plan id.</param>
/// <param name="Medication">The plan's medication.</param>
/// <param name="Route">The plan's route.</param>
/// <param name="ScheduledAt">Booked time.</param>
/// <param name="Status">Lifecycle status.</param>
/// <param name="CheckedInAt">Check-in time.</param>
/// <param name="CheckedInBy">Who checked the patient in.</param>
/// <param name="WeightKg">Dosing weight in kg (null for the front desk).</param>
/// <param name="WeightBasis">actual or ideal (null for the front desk).</param>
/// <param name="FirstDoseAt">First dose time.</param>
/// <param name="CompletedAt">Completion (discharge) time.</param>
/// <param name="CompletedBy">Who completed it.</param>
/// <param name="EndedAt">Time of cancellation, no-show or hold.</param>
/// <param name="EndedBy">Who recorded it.</param>
/// <param name="EndReason">Reason given (null for the front desk: a hold reason is clinical).</param>
/// <param name="CancelledBy">patient or clinic, for cancellations.</param>
/// <param name="DoseSummary">Dose totals per medication (null for the front desk).</param>
/// <param name="Doses">Non-voided doses in recording order (null for the front desk).</param>
/// <param name="Waste">Controlled-substance waste (null for the front desk).</param>
/// <param name="Observations">Standing (non-voided) observations in time order (null for the front desk).</param>
/// <param name="AdverseEvents">Adverse events by onset (null for the front desk).</param>
/// <param name="Monitoring">Flag, what completion still needs, and (esketamine) the REMS form data (null for the front desk).</param>
/// <param name="Version">Concurrency version.</param>
/// <param name="SiteId">The site the visit takes place at (domain.md §14).</param>
public sealed record SessionResponse(
    Guid Id, Guid PatientId, Guid PlanId, Medication Medication, AdministrationRoute Route, DateTime ScheduledAt,
    SessionStatus Status, DateTime? CheckedInAt, string? CheckedInBy, decimal? WeightKg, WeightBasis? WeightBasis,
    DateTime? FirstDoseAt, DateTime? CompletedAt, string? CompletedBy, DateTime? EndedAt, string? EndedBy, string? EndReason,
    CancelledBy? CancelledBy, IReadOnlyList<DoseSummary>? DoseSummary, IReadOnlyList<DoseResponse>? Doses,
    IReadOnlyList<WasteResponse>? Waste, IReadOnlyList<ObservationResponse>? Observations, IReadOnlyList<AdverseEventResponse>? AdverseEvents,
    SessionMonitoringResponse? Monitoring, int Version, Guid SiteId)
{
    /// <summary>The session as the front desk may see it: status, times and who recorded them, nothing clinical.</summary>
    internal static SessionResponse WithoutClinicalData(TreatmentSession s) => new(
        s.Id, s.PatientId, s.PlanId, s.Medication, s.Route, s.ScheduledAt, s.Status, s.CheckedInAt, s.CheckedInBy, null, null,
        s.FirstDoseAt, s.CompletedAt, s.CompletedBy, s.EndedAt, s.EndedBy, null, s.CancelledBy, null, null, null, null, null, null, s.Version, s.SiteId);

    internal static SessionResponse From(
        TreatmentSession s, IEnumerable<DoseEntry> doses, IEnumerable<WasteEntry> waste, IEnumerable<Observation> observations,
        IEnumerable<AdverseEvent> adverseEvents, SessionMonitoringResponse monitoring) => new(
        s.Id, s.PatientId, s.PlanId, s.Medication, s.Route, s.ScheduledAt, s.Status, s.CheckedInAt, s.CheckedInBy, s.WeightKg,
        s.WeightBasis, s.FirstDoseAt, s.CompletedAt, s.CompletedBy, s.EndedAt, s.EndedBy, s.EndReason, s.CancelledBy,
        SessionHistoryItem.Summary(s), [.. doses.Select(DoseResponse.From)], [.. waste.Select(WasteResponse.From)],
        [.. observations.Select(ObservationResponse.From)], [.. adverseEvents.Select(AdverseEventResponse.From)], monitoring, s.Version, s.SiteId);
}
