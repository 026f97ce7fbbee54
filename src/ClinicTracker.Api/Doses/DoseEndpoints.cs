using ClinicTracker.Api.Common;
using ClinicTracker.Api.Sessions;
using ClinicTracker.Api.Telemetry;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Stock;
using ClinicTracker.Core.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Doses;

public static class DoseEndpoints
{
    public static IEndpointRouteBuilder MapDoses(this IEndpointRouteBuilder app)
    {
        var bySession = app.MapGroup("/api/v1/sessions/{sessionId:guid}").WithTags("Doses");
        bySession.MapPost("/doses", RecordDose).WithName(nameof(RecordDose))
            .WithSummary("Record a dose. Limits apply to the patient's 24-hour total in any session; the first dose of a session " +
                "needs a recent BP within 140/90; warnings pass only with a prescriber's overrideReason and acceptedWarnings naming each.")
            .RequireAuthorization(Policies.Clinical).Idempotent().Validate<RecordDoseRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "dose.already-replaced", "patient.archived", "plan.not-active", "session.not-dosable", "session.concurrent-change", "stock.expired", "stock.insufficient")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, "bp.gate", "dose.hard-limit", "dose.invalid-replacement", "dose.plan-mismatch", "dose.soft-limit", "dose.time-inconsistent",
                "stock.lot-mismatch", "stock.lot-required", "stock.unknown-lot");
        bySession.MapGet("/doses", ListDoses).WithName(nameof(ListDoses))
            .WithSummary("A session's doses in recording order; voided ones only with includeVoided=true.")
            .RequireAuthorization(Policies.ClinicalReader).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        bySession.MapPost("/waste", RecordWaste).WithName(nameof(RecordWaste))
            .WithSummary("Record controlled-substance waste with a second clinician as witness.")
            .RequireAuthorization(Policies.Clinical).Idempotent().Validate<RecordWasteRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "patient.archived", "session.no-waste", "session.concurrent-change", "stock.insufficient")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, "stock.lot-mismatch", "stock.lot-required", "stock.unknown-lot", "waste.time-inconsistent",
                "waste.witness-invalid");

        app.MapGet("/api/v1/waste/{wasteId:guid}", GetWaste).WithTags("Doses").WithName(nameof(GetWaste))
            .WithSummary("Read one controlled-substance waste record.").RequireAuthorization(Policies.ClinicalReader)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var doses = app.MapGroup("/api/v1/doses").WithTags("Doses");
        doses.MapGet("/{doseId:guid}", GetDose).WithName(nameof(GetDose)).WithSummary("Read one dose, voided or not.")
            .RequireAuthorization(Policies.ClinicalReader).ProducesProblem(StatusCodes.Status404NotFound);
        doses.MapPost("/{doseId:guid}/void", VoidDose).WithName(nameof(VoidDose))
            .WithSummary("Mark a dose entered-in-error with a reason; it stays in the record and stops counting.")
            .RequireAuthorization(Policies.Prescriber).Validate<VoidRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "dose.already-voided", "session.concurrent-change");
        return app;
    }

    /// <param name="sessionId">The session's id.</param>
    private static async Task<Results<Created<DoseResponse>, ProblemHttpResult>> RecordDose(
        Guid sessionId, RecordDoseRequest request, ClinicDbContext db, IOptions<DoseLimitsOptions> limits,
        IOptions<MonitoringOptions> monitoring, IOptions<StockOptions> stock, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var session = await db.Sessions.FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null)
        {
            return Problems.NotFound("session", sessionId);
        }

        var facts = new DoseFacts(sessionId, session.PatientId, request.Medication!.Value, request.Route!.Value, request.AmountMg!.Value,
            (request.AdministeredAt ?? request.InfusionStartedAt)!.Value.UtcDateTime, request.InfusionStartedAt?.UtcDateTime,
            request.InfusionEndedAt?.UtcDateTime, request.DeviceCount, request.LotNumber!, request.ReplacesDoseId);
        var (dose, refusal) = await DoseRecorder.RecordAsync(db, limits.Value, monitoring.Value, stock.Value, session,
            new DoseRequest(facts, request.OverrideReason, request.AcceptedWarnings ?? []),
            http.User.UserName(), http.User.IsInRole(Roles.Prescriber), clock.GetUtcNow().UtcDateTime, ct);
        if (refusal is not null)
        {
            ClinicTelemetry.DoseRefused(refusal);
            return refusal.ToProblem();
        }

        Outbox.Add(db, WebhookEvent.DoseRecorded(dose!, session.SiteId, clock.GetUtcNow().UtcDateTime));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another dose or transition on this session saved first; its limit check saw a different total.
            return SessionEndpoints.ConcurrentChange(sessionId);
        }

        ClinicTelemetry.DoseRecorded(dose!);
        return TypedResults.Created($"/api/v1/doses/{dose!.Id}", DoseResponse.From(dose));
    }

    /// <param name="sessionId">The session's id.</param>
    /// <param name="includeVoided">Include doses marked entered-in-error (default false).</param>
    private static async Task<Results<Ok<Page<DoseResponse>>, ValidationProblem, ProblemHttpResult>> ListDoses(
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

        var query = db.Doses.AsNoTracking().Where(d => d.SessionId == sessionId);
        query = includeVoided ? query : query.Where(d => d.Status == DoseStatus.Completed);
        // Recording order: version-7 ids grow with creation time, so the id is the keyset.
        var (page, invalidCursor) = await Paging.ByRecordingOrderAsync(query, position, pageSize, DoseResponse.From, newestFirst: false, ct);
        return invalidCursor is null ? TypedResults.Ok(page!) : invalidCursor;
    }

    /// <param name="doseId">The dose's id.</param>
    private static async Task<Results<Ok<DoseResponse>, ProblemHttpResult>> GetDose(Guid doseId, ClinicDbContext db, CancellationToken ct)
    {
        var dose = await db.Doses.AsNoTracking().FirstOrDefaultAsync(d => d.Id == doseId, ct);
        return dose is null ? Problems.NotFound("dose", doseId) : TypedResults.Ok(DoseResponse.From(dose));
    }

    /// <param name="doseId">The dose's id.</param>
    private static async Task<Results<Ok<DoseResponse>, ProblemHttpResult>> VoidDose(
        Guid doseId, VoidRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var dose = await db.Doses.FirstOrDefaultAsync(d => d.Id == doseId, ct);
        if (dose is null)
        {
            return Problems.NotFound("dose", doseId);
        }

        if (dose.Void(request.Reason!, http.User.UserName(), clock.GetUtcNow().UtcDateTime) is { } refused)
        {
            return refused.ToProblem();
        }

        // The session's summary drops by the voided amount in the same save, and its first dose time is that
        // of the earliest dose still standing.
        var session = await db.Sessions.FirstAsync(s => s.Id == dose.SessionId, ct);
        var earliestStanding = await db.Doses.Where(d => d.SessionId == session.Id && d.Id != doseId && d.Status == DoseStatus.Completed)
            .MinAsync(d => (DateTime?)d.AdministeredAt, ct);
        session.RemoveDose(dose.AmountUg, earliestStanding);
        Outbox.Add(db, WebhookEvent.DoseVoided(dose, session.SiteId, clock.GetUtcNow().UtcDateTime));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return SessionEndpoints.ConcurrentChange(session.Id);
        }

        return TypedResults.Ok(DoseResponse.From(dose));
    }

    /// <param name="sessionId">The session's id.</param>
    private static async Task<Results<Created<WasteResponse>, ProblemHttpResult>> RecordWaste(
        Guid sessionId, RecordWasteRequest request, ClinicDbContext db, IOptions<StockOptions> stock, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null)
        {
            return Problems.NotFound("session", sessionId);
        }

        var (waste, refusal) = await WasteRecorder.RecordAsync(db, stock.Value, session,
            new WasteFacts(request.AmountMg!.Value, request.WastedAt!.Value.UtcDateTime, request.LotNumber, request.WitnessUserName!),
            http.User.UserName(), clock.GetUtcNow().UtcDateTime, ct);
        if (refusal is not null)
        {
            return refusal.ToProblem();
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/waste/{waste!.Id}", WasteResponse.From(waste));
    }

    /// <param name="wasteId">The waste record's id.</param>
    private static async Task<Results<Ok<WasteResponse>, ProblemHttpResult>> GetWaste(Guid wasteId, ClinicDbContext db, CancellationToken ct)
    {
        var waste = await db.Waste.AsNoTracking().FirstOrDefaultAsync(w => w.Id == wasteId, ct);
        return waste is null ? Problems.NotFound("waste record", wasteId) : TypedResults.Ok(WasteResponse.From(waste));
    }
}
