using ClinicTracker.Api.Auditing;
using ClinicTracker.Api.Common;
using ClinicTracker.Api.Sites;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Sessions;

public static class SessionEndpoints
{
    public static IEndpointRouteBuilder MapSessions(this IEndpointRouteBuilder app)
    {
        var byPatient = app.MapGroup("/api/v1/patients/{patientId:guid}").WithTags("Sessions");
        byPatient.MapPost("/sessions", ScheduleSession).WithName(nameof(ScheduleSession))
            .WithSummary("Schedule a session for one of the patient's active plans.")
            .RequireAuthorization(Policies.Scheduler).Idempotent().Validate<ScheduleSessionRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "patient.archived", "plan.not-active", "site.inactive", "site.not-shared");
        byPatient.MapGet("/sessions", SessionHistory).WithName(nameof(SessionHistory))
            .WithSummary("Session history, newest first, each with its dose summary. Filters: from, to (instants), status, route.")
            .RequireAuthorization(Policies.DemographicsReader)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        var sessions = app.MapGroup("/api/v1/sessions").WithTags("Sessions");
        sessions.MapGet("/{sessionId:guid}", GetSession).WithName(nameof(GetSession))
            .WithSummary("A session with its doses and waste; send its ETag in If-None-Match to get a 304 while it is unchanged.")
            .RequireAuthorization(Policies.ClinicalReader).Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
        Transition<CheckInRequest>(sessions, "/{sessionId:guid}/check-in", nameof(CheckIn), "Check the patient in and record the dosing weight.", Policies.Clinical, CheckIn)
            .ProducesProblems(StatusCodes.Status409Conflict, "patient.archived", "plan.not-active", "session.invalid-transition", "session.patient-busy", "session.concurrent-change");
        Transition<CancelSessionRequest>(sessions, "/{sessionId:guid}/cancel", nameof(CancelSession), "Cancel a session (by patient or clinic).", Policies.Scheduler, CancelSession)
            .ProducesProblems(StatusCodes.Status409Conflict, "session.invalid-transition", "session.concurrent-change")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, "session.time-inconsistent");
        Transition<SessionTransitionRequest>(sessions, "/{sessionId:guid}/no-show", nameof(MarkNoShow), "Record that the patient did not come.", Policies.Scheduler, MarkNoShow, optionalBody: true)
            .ProducesProblems(StatusCodes.Status409Conflict, "session.invalid-transition", "session.concurrent-change")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, "session.time-inconsistent");
        Transition<HoldSessionRequest>(sessions, "/{sessionId:guid}/hold", nameof(HoldSession), "Hold a checked-in session: the pre-dose safety gate failed.", Policies.Clinical, HoldSession)
            .ProducesProblems(StatusCodes.Status409Conflict, "session.invalid-transition", "session.concurrent-change")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, "session.time-inconsistent");
        Transition<SessionTransitionRequest>(sessions, "/{sessionId:guid}/complete", nameof(CompleteSession), "Complete (discharge) an in-progress session.", Policies.Clinical, CompleteSession, optionalBody: true)
            .ProducesProblems(StatusCodes.Status409Conflict, "session.invalid-transition", "session.concurrent-change")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, "session.monitoring-incomplete", "session.no-standing-dose", "session.time-inconsistent");
        return app;
    }

    /// <summary>A lifecycle transition; each declares the 409/422 codes its own rules give.</summary>
    private static RouteHandlerBuilder Transition<TRequest>(RouteGroupBuilder group, string path, string name, string summary, string policy,
        Delegate handler, bool optionalBody = false)
        where TRequest : class =>
        group.MapPost(path, handler).WithName(name).WithSummary(summary).RequireAuthorization(policy)
            .Validate<TRequest>(optionalBody)
            .ProducesProblem(StatusCodes.Status404NotFound);

    /// <param name="patientId">The patient's id.</param>
    private static async Task<Results<Created<SessionResponse>, ProblemHttpResult>> ScheduleSession(
        Guid patientId, ScheduleSessionRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == patientId, ct);
        if (patient is null)
        {
            return Problems.NotFound("patient", patientId);
        }

        var plan = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == request.PlanId && p.PatientId == patientId, ct);
        if (plan is null)
        {
            return Problems.NotFound("plan", request.PlanId!.Value);
        }

        if ((patient.RefuseIfArchived("new sessions") ?? plan.RefuseUnlessActive("new sessions")) is { } refused)
        {
            return refused.ToProblem();
        }

        var (site, notThere) = await SiteAccess.TreatmentSiteAsync(db, patient, request.SiteId ?? plan.SiteId, "new sessions", ct);
        if (site is null)
        {
            return notThere!;
        }

        var session = TreatmentSession.Schedule(plan, request.ScheduledAt!.Value.UtcDateTime, http.User.UserName(), clock.GetUtcNow().UtcDateTime, site.Id);
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
        ETags.Set(http.Response, session.Version);
        return TypedResults.Created($"/api/v1/sessions/{session.Id}", await DetailOf(db, session, http, ct));
    }

    /// <param name="patientId">The patient's id.</param>
    /// <param name="from">Only sessions scheduled at or after this instant (ISO 8601 with offset).</param>
    /// <param name="to">Only sessions scheduled before this instant (ISO 8601 with offset).</param>
    /// <param name="status">Only sessions in this state: `scheduled`, `checked-in`, `in-progress`, `completed`, `cancelled`, `no-show` or `held`.</param>
    /// <param name="route">Only sessions with a standing dose by this route: `intravenous`, `intranasal`, `oral` or `sublingual`.</param>
    private static async Task<Results<Ok<Page<SessionHistoryItem>>, ValidationProblem, ProblemHttpResult>> SessionHistory(
        Guid patientId, ClinicDbContext db, QueryValues values, HttpContext http, CancellationToken ct, [QueryFormat("date-time")] string? from = null,
        [QueryFormat("date-time")] string? to = null, [QueryEnum(typeof(SessionStatus))] string? status = null,
        [QueryEnum(typeof(AdministrationRoute))] string? route = null, int? limit = null, string? cursor = null)
    {
        if (Paging.TryRead(limit, cursor, out var pageSize, out var position) is { } invalid)
        {
            return invalid;
        }

        if (!values.TryInstant(from, out var fromUtc) || !values.TryInstant(to, out var toUtc))
        {
            return Problems.Validation(fromUtc is null && from is not null ? "from" : "to", "Send an ISO-8601 instant with an offset, e.g. 2026-11-01T00:00:00Z.");
        }

        if (!values.TryEnum<SessionStatus>(status, out var statusFilter))
        {
            return Problems.Validation("status", "status must be one of scheduled, checked-in, in-progress, completed, cancelled, no-show, held.");
        }

        if (!values.TryEnum<AdministrationRoute>(route, out var routeFilter))
        {
            return Problems.Validation("route", "route must be one of intravenous, intranasal, oral, sublingual.");
        }

        // The home site comes with the existence check: the audit row needs it and so makes no lookup of its own.
        if (await db.Patients.Where(p => p.Id == patientId).Select(p => (Guid?)p.HomeSiteId).FirstOrDefaultAsync(ct) is not { } homeSiteId)
        {
            return Problems.NotFound("patient", patientId);
        }

        AuditTrail.NoteRecord(http, patientId, homeSiteId);
        var query = db.Sessions.AsNoTracking().Where(s => s.PatientId == patientId);
        query = fromUtc is { } f ? query.Where(s => s.ScheduledAt >= f) : query;
        query = toUtc is { } t ? query.Where(s => s.ScheduledAt < t) : query;
        query = statusFilter is { } st ? query.Where(s => s.Status == st) : query;
        query = routeFilter is { } r ? query.Where(s => s.Route == r) : query;
        if (position is not null)
        {
            if (!InstantCursor.TryParse(position, out var afterAt, out var afterId))
            {
                return Problems.Validation("cursor", "cursor is not one this API issued.");
            }

            // Keyset, not offset: sessions added between pages cannot shift or repeat rows.
            query = query.Where(s => s.ScheduledAt < afterAt || (s.ScheduledAt == afterAt && s.Id.CompareTo(afterId) < 0));
        }

        // One round trip per page: the dose summary lives on the session row (kept in step with its doses).
        var rows = await query.OrderByDescending(s => s.ScheduledAt).ThenByDescending(s => s.Id).Take(pageSize + 1).ToListAsync(ct);
        var next = rows.Count > pageSize ? InstantCursor.Encode(rows[pageSize - 1].ScheduledAt, rows[pageSize - 1].Id) : null;
        // The front desk sees status and times without dose summaries (domain.md §9).
        var clinical = http.User.ReadsClinicalData();
        return TypedResults.Ok(new Page<SessionHistoryItem>([.. rows.Take(pageSize).Select(s => SessionHistoryItem.From(s, clinical))], next));
    }

    /// <param name="sessionId">The session's id.</param>
    private static async Task<Results<Ok<SessionResponse>, StatusCodeHttpResult, ProblemHttpResult>> GetSession(
        Guid sessionId, ClinicDbContext db, HttpContext http, CancellationToken ct)
    {
        var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null)
        {
            return Problems.NotFound("session", sessionId);
        }

        AuditTrail.NoteRecord(http, session.PatientId, session.SiteId);

        // The session's version does not move with its doses, observations or the clock (the monitoring view is
        // computed at each read), so the tag hashes the whole body. A 304 is audited like the 200 (record keeping).
        var detail = await DetailOf(db, session, http, ct);
        return ETags.NotModified(http, ETags.Representation(http, session.Version, detail))
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(detail);
    }

    /// <param name="sessionId">The session's id.</param>
    private static Task<Results<Ok<SessionResponse>, ProblemHttpResult>> CheckIn(
        Guid sessionId, CheckInRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Apply(sessionId, db, http, ct, async s =>
            // The plan, the patient and the one open session first (domain.md §4): a session an ended plan cancelled
            // says why (plan.not-active) rather than only that a cancelled session cannot be checked in.
            await SessionCheckIn.RefusalAsync(db, s, ct)
            ?? s.CheckIn(request.WeightKg!.Value, request.WeightBasis!.Value, At(request.At, clock), http.User.UserName()));

    /// <param name="sessionId">The session's id.</param>
    private static Task<Results<Ok<SessionResponse>, ProblemHttpResult>> CancelSession(
        Guid sessionId, CancelSessionRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Apply(sessionId, db, http, ct, s => s.Cancel(request.CancelledBy!.Value, request.Reason, At(request.At, clock), http.User.UserName()));

    /// <param name="sessionId">The session's id.</param>
    private static Task<Results<Ok<SessionResponse>, ProblemHttpResult>> MarkNoShow(
        Guid sessionId, SessionTransitionRequest? request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Apply(sessionId, db, http, ct, s => s.MarkNoShow(At(request?.At, clock), http.User.UserName()));

    /// <param name="sessionId">The session's id.</param>
    private static Task<Results<Ok<SessionResponse>, ProblemHttpResult>> HoldSession(
        Guid sessionId, HoldSessionRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Apply(sessionId, db, http, ct, s => s.Hold(request.Reason!, At(request.At, clock), http.User.UserName()));

    /// <param name="sessionId">The session's id.</param>
    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> CompleteSession(
        Guid sessionId, SessionTransitionRequest? request, ClinicDbContext db, TimeProvider clock, IOptions<MonitoringOptions> monitoring,
        HttpContext http, CancellationToken ct)
    {
        var at = At(request?.At, clock);
        var doses = await db.Doses.AsNoTracking().Where(d => d.SessionId == sessionId && d.Status == DoseStatus.Completed).ToListAsync(ct);
        var readings = await BpReadings(db, sessionId, ct);
        DateTime? lastDoseEnd = doses.Count == 0 ? null : doses.Max(d => d.EndedAt);
        return await Apply(sessionId, db, http, ct, s =>
        {
            // Monitoring before completion (domain.md §4; Spravato REMS 2 h observation and BPs).
            if (s.Status == SessionStatus.InProgress && doses.Count == 0)
            {
                // Every dose was voided: completing would record an attended treatment without a dose.
                return RuleViolation.Unprocessable("session.no-standing-dose", "The session has no standing dose.",
                    "Every dose of this session is entered-in-error; record the replacement (replacesDoseId) before completing.");
            }

            // Only a completion that is otherwise valid (in progress, not before check-in or the last dose) is checked.
            var missing = s.Status == SessionStatus.InProgress && doses.Count > 0 && at >= s.CheckedInAt && at >= lastDoseEnd
                ? MonitoringStatus.Missing(monitoring.Value, s, doses, readings, at)
                : [];
            return missing.Count > 0
                ? RuleViolation.Unprocessable("session.monitoring-incomplete", "Monitoring is not complete.",
                    "Missing before completion: " + string.Join(" ", missing.Select(m => m.Description)),
                    new Dictionary<string, object?> { ["missing"] = missing })
                : s.Complete(at, lastDoseEnd, http.User.UserName());
        });
    }

    internal static async Task<IReadOnlyList<BpReading>> BpReadings(ClinicDbContext db, Guid sessionId, CancellationToken ct) =>
        [.. (await db.Observations.AsNoTracking()
            .Where(o => o.SessionId == sessionId && !o.Voided && o.Kind == ObservationKind.BloodPressure).ToListAsync(ct))
            .Select(o => o.AsBpReading()!)];

    /// <summary>Loads the session, applies one lifecycle transition, saves, and answers with the session.</summary>
    private static Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Apply(
        Guid sessionId, ClinicDbContext db, HttpContext http, CancellationToken ct, Func<TreatmentSession, RuleViolation?> transition) =>
        Apply(sessionId, db, http, ct, s => Task.FromResult(transition(s)));

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Apply(
        Guid sessionId, ClinicDbContext db, HttpContext http, CancellationToken ct, Func<TreatmentSession, Task<RuleViolation?>> transition)
    {
        var session = await db.Sessions.FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null)
        {
            return Problems.NotFound("session", sessionId);
        }

        if (await transition(session) is { } refused)
        {
            return refused.ToProblem();
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ConcurrentChange(sessionId);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // The one-open-session index (domain.md §4): another check-in of this patient committed first.
            return SessionCheckIn.Busy(session.PatientId, openSessionId: null).ToProblem();
        }

        ETags.Set(http.Response, session.Version);
        return TypedResults.Ok(await DetailOf(db, session, http, ct));
    }

    internal static ProblemHttpResult ConcurrentChange(Guid sessionId) =>
        Problems.Conflict("session.concurrent-change", "The session changed while this request ran.",
            $"Another request changed session {sessionId} first; read it again and retry.");

    private static async Task<SessionResponse> DetailOf(ClinicDbContext db, TreatmentSession session, HttpContext http, CancellationToken ct)
    {
        if (!http.User.ReadsClinicalData())
        {
            // The front desk's own scheduling, cancelling and no-show answers carry no clinical data (domain.md §9).
            return SessionResponse.WithoutClinicalData(session);
        }

        var doses = await db.Doses.AsNoTracking().Where(d => d.SessionId == session.Id && d.Status == DoseStatus.Completed)
            .OrderBy(d => d.Id).ToListAsync(ct);
        var waste = await db.Waste.AsNoTracking().Where(w => w.SessionId == session.Id).OrderBy(w => w.Id).ToListAsync(ct);
        var observations = await db.Observations.AsNoTracking().Where(o => o.SessionId == session.Id && !o.Voided)
            .OrderBy(o => o.ObservedAt).ThenBy(o => o.Id).ToListAsync(ct);
        var adverseEvents = await db.AdverseEvents.AsNoTracking().Where(a => a.SessionId == session.Id).OrderBy(a => a.OnsetAt).ToListAsync(ct);
        var monitoring = http.RequestServices.GetRequiredService<IOptions<MonitoringOptions>>().Value;
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        return SessionResponse.From(session, doses, waste, observations, adverseEvents,
            MonitoringStatus.For(monitoring, session, doses, observations, adverseEvents, now));
    }

    private static DateTime At(DateTimeOffset? at, TimeProvider clock) => (at ?? clock.GetUtcNow()).UtcDateTime;
}
