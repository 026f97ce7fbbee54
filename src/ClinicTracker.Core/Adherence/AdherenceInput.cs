namespace ClinicTracker.Core.Adherence;

/// <summary>Everything the adherence rules (domain.md §10) need for one plan, already in clinic-local dates.</summary>
/// <param name="DueDates">The plan's due dates, strictly ascending; the induction ones come first.</param>
/// <param name="ToleranceDays">The plan's window tolerance t: due date d has the window [d − t, d + t].</param>
/// <param name="Sessions">All sessions of the plan, in any order.</param>
/// <param name="AsOf">The report date D (clinic-local).</param>
/// <param name="EndedOn">
/// The clinic-local date the plan was discontinued or completed; when set, due dates after it are left out
/// of the report.
/// </param>
/// <param name="PersistenceGapDays">The longest tolerated gap in days (*default* 60).</param>
public sealed record AdherenceInput(
    IReadOnlyList<AdherenceDueDate> DueDates,
    int ToleranceDays,
    IReadOnlyList<AdherenceSession> Sessions,
    DateOnly AsOf,
    DateOnly? EndedOn,
    int PersistenceGapDays = 60);

/// <summary>One clinic-local due date of a plan.</summary>
/// <param name="Date">The due date.</param>
/// <param name="IsInduction">True for the due dates of the plan's first (induction) phase.</param>
public sealed record AdherenceDueDate(DateOnly Date, bool IsInduction);

/// <summary>One session of the plan.</summary>
/// <param name="Id">The session's id.</param>
/// <param name="Status">Its status.</param>
/// <param name="LocalDate">
/// Computed by the caller: for a completed session the clinic-local date of its check-in, otherwise
/// the clinic-local date it was scheduled for (domain.md §10).
/// </param>
/// <param name="ScheduledAt">
/// The instant it was booked for (UTC). Orders the not-completed sessions of one window, so that the latest
/// by scheduled time gives the miss reason (rule 4) even when several share a date; an instant, not a local
/// clock time, so the hour repeated when daylight saving ends cannot blur the order.
/// </param>
public sealed record AdherenceSession(Guid Id, AdherenceSessionStatus Status, DateOnly LocalDate, DateTime ScheduledAt);
