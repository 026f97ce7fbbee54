using ClinicTracker.Api.Common;
using ClinicTracker.Api.Sessions;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Monitoring;

public static class MonitoringEndpoints
{
    public static IEndpointRouteBuilder MapMonitoring(this IEndpointRouteBuilder app)
    {
        var bySession = app.MapGroup("/api/v1/sessions/{sessionId:guid}").WithTags("Monitoring");
        bySession.MapPost("/observations", RecordObservation).WithName(nameof(RecordObservation))
            .WithSummary("Record a vital sign or scale (BP, heart rate, SpO2, CADSS, MOAA/S). MOAA/S 0 or SpO2 < 90 flags the session.")
            .RequireAuthorization(Policies.Clinical).Idempotent().Validate<RecordObservationRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "patient.archived", "session.not-checked-in", "session.concurrent-change")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, "monitoring.time-inconsistent");
        bySession.MapGet("/observations", ListObservations).WithName(nameof(ListObservations))
            .WithSummary("A session's observations in recording order; voided ones only with includeVoided=true.")
            .RequireAuthorization(Policies.ClinicalReader).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        bySession.MapPost("/adverse-events", RecordAdverseEvent).WithName(nameof(RecordAdverseEvent))
            .WithSummary("Record an adverse event with type, severity, onset and (if known) resolution.")
            .RequireAuthorization(Policies.Clinical).Idempotent().Validate<RecordAdverseEventRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "patient.archived", "session.not-checked-in")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, "monitoring.time-inconsistent");
        bySession.MapGet("/adverse-events", ListAdverseEvents).WithName(nameof(ListAdverseEvents))
            .WithSummary("A session's adverse events in recording order.").RequireAuthorization(Policies.ClinicalReader)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/api/v1/observations/{observationId:guid}", GetObservation).WithTags("Monitoring")
            .WithName(nameof(GetObservation)).WithSummary("Read one observation, voided or not.")
            .RequireAuthorization(Policies.ClinicalReader).ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/v1/adverse-events/{adverseEventId:guid}", GetAdverseEvent).WithTags("Monitoring")
            .WithName(nameof(GetAdverseEvent)).WithSummary("Read one adverse event.")
            .RequireAuthorization(Policies.ClinicalReader).ProducesProblem(StatusCodes.Status404NotFound);
        app.MapPost("/api/v1/observations/{observationId:guid}/void", VoidObservation).WithTags("Monitoring")
            .WithName(nameof(VoidObservation)).WithSummary("Mark an observation entered-in-error with a reason.")
            .RequireAuthorization(Policies.Clinical).Validate<VoidRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "observation.already-voided", "session.concurrent-change");
        app.MapPost("/api/v1/adverse-events/{adverseEventId:guid}/resolve", ResolveAdverseEvent).WithTags("Monitoring")
            .WithName(nameof(ResolveAdverseEvent)).WithSummary("Add the resolution time of an adverse event.")
            .RequireAuthorization(Policies.Clinical).Validate<ResolveAdverseEventRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "adverse-event.already-resolved")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, "adverse-event.time-inconsistent");
        return app;
    }

    /// <param name="sessionId">The session's id.</param>
    private static async Task<Results<Created<ObservationResponse>, ProblemHttpResult>> RecordObservation(
        Guid sessionId, RecordObservationRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var session = await db.Sessions.FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null)
        {
            return Problems.NotFound("session", sessionId);
        }

        var observedAt = request.ObservedAt!.Value.UtcDateTime;
        if (await CanRecordAsync(db, session, observedAt, "observations", allowAfterEnd: false, ct) is { } refused)
        {
            return refused.ToProblem();
        }

        var observation = Observation.Record(sessionId, session.PatientId, request.Kind!.Value, request.Systolic, request.Diastolic,
            request.Value, observedAt, http.User.UserName(), clock.GetUtcNow().UtcDateTime);
        db.Observations.Add(observation);
        if (observation.FlagsSession)
        {
            session.SetFlagged(true);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return SessionEndpoints.ConcurrentChange(sessionId);
        }

        return TypedResults.Created($"/api/v1/observations/{observation.Id}", ObservationResponse.From(observation));
    }

    /// <param name="sessionId">The session's id.</param>
    /// <param name="includeVoided">Include observations marked entered-in-error (default false).</param>
    private static async Task<Results<Ok<Page<ObservationResponse>>, ValidationProblem, ProblemHttpResult>> ListObservations(
        Guid sessionId, ClinicDbContext db, CancellationToken ct, bool includeVoided = false, int? limit = null, string? cursor = null)
    {
        if (Paging.TryRead(limit, cursor, out var pageSize, out var position) is { } invalid)
        {
            return invalid;
        }

        if (!await db.Sessions.AnyAsync(s => s.Id == sessionId, ct))
        {
            return Problems.NotFound("session", sessionId);
        }

        var query = db.Observations.AsNoTracking().Where(o => o.SessionId == sessionId && (includeVoided || !o.Voided));
        // Recording order: version-7 ids grow with creation time, so the id is the keyset.
        var (page, invalidCursor) = await Paging.ByRecordingOrderAsync(query, position, pageSize, ObservationResponse.From, newestFirst: false, ct);
        return invalidCursor is null ? TypedResults.Ok(page!) : invalidCursor;
    }

    /// <param name="observationId">The observation's id.</param>
    private static async Task<Results<Ok<ObservationResponse>, ProblemHttpResult>> GetObservation(
        Guid observationId, ClinicDbContext db, CancellationToken ct) =>
        await db.Observations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == observationId, ct) is { } observation
            ? TypedResults.Ok(ObservationResponse.From(observation))
            : Problems.NotFound("observation", observationId);

    /// <param name="adverseEventId">The adverse event's id.</param>
    private static async Task<Results<Ok<AdverseEventResponse>, ProblemHttpResult>> GetAdverseEvent(
        Guid adverseEventId, ClinicDbContext db, CancellationToken ct) =>
        await db.AdverseEvents.AsNoTracking().FirstOrDefaultAsync(a => a.Id == adverseEventId, ct) is { } adverseEvent
            ? TypedResults.Ok(AdverseEventResponse.From(adverseEvent))
            : Problems.NotFound("adverse event", adverseEventId);

    /// <param name="observationId">The observation's id.</param>
    private static async Task<Results<Ok<ObservationResponse>, ProblemHttpResult>> VoidObservation(
        Guid observationId, VoidRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var observation = await db.Observations.FirstOrDefaultAsync(o => o.Id == observationId, ct);
        if (observation is null)
        {
            return Problems.NotFound("observation", observationId);
        }

        if (observation.Void(request.Reason!, http.User.UserName(), clock.GetUtcNow().UtcDateTime) is { } refused)
        {
            return refused.ToProblem();
        }

        // A voided MOAA/S 0 or SpO2 reading no longer flags the session unless another standing one does.
        var session = await db.Sessions.FirstAsync(s => s.Id == observation.SessionId, ct);
        var standing = await db.Observations.Where(o => o.SessionId == session.Id && !o.Voided && o.Id != observationId).ToListAsync(ct);
        session.SetFlagged(standing.Any(o => o.FlagsSession));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return SessionEndpoints.ConcurrentChange(session.Id);
        }

        return TypedResults.Ok(ObservationResponse.From(observation));
    }

    /// <param name="sessionId">The session's id.</param>
    private static async Task<Results<Created<AdverseEventResponse>, ProblemHttpResult>> RecordAdverseEvent(
        Guid sessionId, RecordAdverseEventRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null)
        {
            return Problems.NotFound("session", sessionId);
        }

        var onset = request.OnsetAt!.Value.UtcDateTime;
        if (await CanRecordAsync(db, session, onset, "adverse events", allowAfterEnd: true, ct) is { } refused)
        {
            return refused.ToProblem();
        }

        var adverseEvent = AdverseEvent.Record(sessionId, session.PatientId, request.Type!.Value, request.OtherType, request.Severity!.Value,
            onset, request.ResolvedAt?.UtcDateTime, request.Description, http.User.UserName(), clock.GetUtcNow().UtcDateTime);
        db.AdverseEvents.Add(adverseEvent);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/adverse-events/{adverseEvent.Id}", AdverseEventResponse.From(adverseEvent));
    }

    /// <param name="sessionId">The session's id.</param>
    private static async Task<Results<Ok<Page<AdverseEventResponse>>, ValidationProblem, ProblemHttpResult>> ListAdverseEvents(
        Guid sessionId, ClinicDbContext db, CancellationToken ct, int? limit = null, string? cursor = null)
    {
        if (Paging.TryRead(limit, cursor, out var pageSize, out var position) is { } invalid)
        {
            return invalid;
        }

        if (!await db.Sessions.AnyAsync(s => s.Id == sessionId, ct))
        {
            return Problems.NotFound("session", sessionId);
        }

        var query = db.AdverseEvents.AsNoTracking().Where(a => a.SessionId == sessionId);
        // Recording order: version-7 ids grow with creation time, so the id is the keyset.
        var (page, invalidCursor) = await Paging.ByRecordingOrderAsync(query, position, pageSize, AdverseEventResponse.From, newestFirst: false, ct);
        return invalidCursor is null ? TypedResults.Ok(page!) : invalidCursor;
    }

    /// <param name="adverseEventId">The adverse event's id.</param>
    private static async Task<Results<Ok<AdverseEventResponse>, ProblemHttpResult>> ResolveAdverseEvent(
        Guid adverseEventId, ResolveAdverseEventRequest request, ClinicDbContext db, HttpContext http, CancellationToken ct)
    {
        var adverseEvent = await db.AdverseEvents.FirstOrDefaultAsync(a => a.Id == adverseEventId, ct);
        if (adverseEvent is null)
        {
            return Problems.NotFound("adverse event", adverseEventId);
        }

        if (adverseEvent.Resolve(request.ResolvedAt!.Value.UtcDateTime, http.User.UserName()) is { } refused)
        {
            return refused.ToProblem();
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(AdverseEventResponse.From(adverseEvent));
    }

    /// <summary>Monitoring belongs to a visit that took place: from check-in, and (unless later events may surface) not after it ended.</summary>
    /// <summary>Whether something observed at <paramref name="atUtc"/> may be recorded in the session: not for an archived patient (domain.md §4), only during the visit.</summary>
    private static async Task<RuleViolation?> CanRecordAsync(
        ClinicDbContext db, TreatmentSession session, DateTime atUtc, string what, bool allowAfterEnd, CancellationToken ct) =>
        (await db.Patients.AsNoTracking().FirstAsync(p => p.Id == session.PatientId, ct)).RefuseIfArchived(what)
        ?? CanRecordAt(session, atUtc, allowAfterEnd);

    private static RuleViolation? CanRecordAt(TreatmentSession session, DateTime atUtc, bool allowAfterEnd)
    {
        if (session.CheckedInAt is null)
        {
            return RuleViolation.Conflict("session.not-checked-in", "The session has not been checked in.",
                $"Observations and adverse events belong to a visit; session {session.Id} is {session.Status}.");
        }

        var end = session.CompletedAt ?? session.EndedAt;
        if (atUtc < session.CheckedInAt || (!allowAfterEnd && atUtc > end))
        {
            return RuleViolation.Unprocessable("monitoring.time-inconsistent", "The time lies outside the session.",
                "Observations are taken between check-in and the end of the session.");
        }

        return null;
    }
}
