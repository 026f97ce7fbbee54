using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Core.Sessions;

/// <summary>The rules of domain.md §4 a check-in needs the record for, beyond the session's own lifecycle.</summary>
public static class SessionCheckIn
{
    /// <summary>The problem code when the patient already has a session checked in or in progress.</summary>
    public const string PatientBusy = "session.patient-busy";

    /// <summary>
    /// Why <paramref name="session"/> may not be checked in now: its plan is not active, its patient is archived,
    /// or another session of the patient is checked in or in progress (at most one at a time, so two sessions
    /// cannot each take a full dose). Null when it may; the lifecycle itself is the session's to check.
    /// </summary>
    public static async Task<RuleViolation?> RefusalAsync(ClinicDbContext db, TreatmentSession session, CancellationToken ct)
    {
        var plan = await db.Plans.AsNoTracking().FirstAsync(p => p.Id == session.PlanId, ct);
        if (plan.RefuseUnlessActive("check-ins") is { } inactive)
        {
            return inactive;
        }

        var patient = await db.Patients.AsNoTracking().FirstAsync(p => p.Id == session.PatientId, ct);
        if (patient.RefuseIfArchived("check-ins") is { } archived)
        {
            return archived;
        }

        return await OpenSessionIdAsync(db, session.PatientId, session.Id, ct) is { } openId ? Busy(session.PatientId, openId) : null;
    }

    /// <summary>The patient's session checked in or in progress (domain.md §4: at most one), other than <paramref name="exceptSessionId"/>.</summary>
    public static Task<Guid?> OpenSessionIdAsync(ClinicDbContext db, Guid patientId, Guid? exceptSessionId, CancellationToken ct) =>
        db.Sessions.AsNoTracking()
            .Where(s => s.PatientId == patientId && s.Id != exceptSessionId
                        && (s.Status == SessionStatus.CheckedIn || s.Status == SessionStatus.InProgress))
            .Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);

    /// <summary>The refusal naming the patient's open session (also when the database's unique index catches a race).</summary>
    public static RuleViolation Busy(Guid patientId, Guid? openSessionId) => RuleViolation.Conflict(PatientBusy,
        "The patient already has an open session.",
        openSessionId is { } id
            ? $"Session {id} of patient {patientId} is checked in or in progress; complete, hold or cancel it first."
            : $"Another session of patient {patientId} was checked in at the same moment; read the patient's sessions and retry.",
        new Dictionary<string, object?> { ["openSessionId"] = openSessionId });
}
