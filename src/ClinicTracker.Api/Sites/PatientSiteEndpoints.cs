using ClinicTracker.Api.Common;
using ClinicTracker.Api.Patients;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using ClinicTracker.Core.Sites;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Sites;

/// <summary>
/// Where a patient's record is seen (domain.md §14): the home site's prescribers share it with another site of the
/// group, revoke the share, or move the record to another home site. Each is a write of its own, audited like any other.
/// </summary>
public static class PatientSiteEndpoints
{
    public static IEndpointRouteBuilder MapPatientSites(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/patients/{patientId:guid}").WithTags("Sites");
        group.MapPost("/shares", ShareRecord).WithName(nameof(ShareRecord))
            .WithSummary("Share the record with another site: its staff see and may treat the patient until the share is revoked.")
            .RequireAuthorization(Policies.Prescriber).Idempotent().Validate<ShareRecordRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "share.exists", "site.inactive")
            .ProducesProblems(StatusCodes.Status403Forbidden, "site.not-home-site");
        group.MapGet("/shares", ListShares).WithName(nameof(ListShares))
            .WithSummary("The record's shares, active and revoked, newest first.").RequireAuthorization(Policies.DemographicsReader)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/shares/{shareId:guid}/revoke", RevokeShare).WithName(nameof(RevokeShare))
            .WithSummary("Revoke a share: the site's staff no longer see the record. Refused while the site still treats the patient.")
            .RequireAuthorization(Policies.Prescriber).Validate<RevokeShareRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "share.revoked", "site.in-use")
            .ProducesProblems(StatusCodes.Status403Forbidden, "site.not-home-site");
        group.MapPost("/move", MoveHomeSite).WithName(nameof(MoveHomeSite))
            .WithSummary("Move the record to another home site (If-Match honoured when sent).")
            .RequireAuthorization(Policies.Prescriber).Validate<MoveHomeSiteRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "patient.same-home-site", "site.in-use", "site.inactive")
            .ProducesProblems(StatusCodes.Status412PreconditionFailed, "precondition.failed")
            .ProducesProblems(StatusCodes.Status403Forbidden, "site.not-home-site");
        group.MapGet("/site-moves", ListHomeSiteMoves).WithName(nameof(ListHomeSiteMoves))
            .WithSummary("The record's home-site moves, newest first.").RequireAuthorization(Policies.DemographicsReader)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <param name="patientId">The patient's id.</param>
    private static async Task<Results<Created<ShareResponse>, ProblemHttpResult>> ShareRecord(
        Guid patientId, ShareRecordRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == patientId, ct);
        if (patient is null)
        {
            return Problems.NotFound("patient", patientId);
        }

        if (SiteAccess.RefuseUnlessAtHomeSite(db, patient) is { } notHome)
        {
            return notHome;
        }

        var siteId = request.SiteId!.Value;
        if (await SiteAccess.ActiveSiteAsync(db, siteId, "shares", ct) is { Refusal: { } refused })
        {
            return refused;
        }

        if (siteId == patient.HomeSiteId || await db.PatientShares.AnyAsync(s => s.PatientId == patientId && s.SiteId == siteId && s.RevokedAt == null, ct))
        {
            return AlreadyShared(patientId, siteId);
        }

        var share = PatientShare.Grant(patientId, siteId, request.Reason!, http.User.UserName(), clock.GetUtcNow().UtcDateTime);
        db.PatientShares.Add(share);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Two grants for one site raced past the check; the partial unique index decided.
            return AlreadyShared(patientId, siteId);
        }

        return TypedResults.Created($"/api/v1/patients/{patientId}/shares/{share.Id}", ShareResponse.From(share));
    }

    /// <param name="patientId">The patient's id.</param>
    private static Task<Results<Ok<Page<ShareResponse>>, ValidationProblem, ProblemHttpResult>> ListShares(
        Guid patientId, ClinicDbContext db, CancellationToken ct, int? limit = null, string? cursor = null) =>
        Paging.OfPatientAsync(db, patientId, db.PatientShares, limit, cursor, ShareResponse.From, ct);

    /// <param name="patientId">The patient's id.</param>
    /// <param name="shareId">The share's id (from GET /patients/{patientId}/shares).</param>
    private static async Task<Results<Ok<ShareResponse>, ProblemHttpResult>> RevokeShare(
        Guid patientId, Guid shareId, RevokeShareRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == patientId, ct);
        var share = patient is null ? null : await db.PatientShares.FirstOrDefaultAsync(s => s.Id == shareId && s.PatientId == patientId, ct);
        if (patient is null || share is null)
        {
            return patient is null ? Problems.NotFound("patient", patientId) : Problems.NotFound("share", shareId);
        }

        if (SiteAccess.RefuseUnlessAtHomeSite(db, patient) is { } notHome)
        {
            return notHome;
        }

        if (share.IsActive && await InUseAsync(db, patientId, share.SiteId, ct) is { } inUse)
        {
            return inUse.ToProblem();
        }

        if (share.Revoke(request.Reason!, http.User.UserName(), clock.GetUtcNow().UtcDateTime) is { } revoked)
        {
            return revoked.ToProblem();
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ShareResponse.From(share));
    }

    /// <param name="patientId">The patient's id.</param>
    private static async Task<Results<Ok<PatientResponse>, ProblemHttpResult>> MoveHomeSite(
        Guid patientId, MoveHomeSiteRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var patient = await db.Patients.FirstOrDefaultAsync(p => p.Id == patientId, ct);
        if (patient is null)
        {
            return Problems.NotFound("patient", patientId);
        }

        if (http.Request.Headers.IfMatch.Count > 0 && ETags.CheckIfMatch(http.Request, patient.Version) is { } precondition)
        {
            return precondition;
        }

        if (SiteAccess.RefuseUnlessAtHomeSite(db, patient) is { } notHome)
        {
            return notHome;
        }

        var to = request.SiteId!.Value;
        if (await SiteAccess.ActiveSiteAsync(db, to, "patients", ct) is { Refusal: { } refused })
        {
            return refused;
        }

        var from = patient.HomeSiteId;
        if (to == from)
        {
            return Problems.Conflict("patient.same-home-site", "The patient is already at this site.", $"Site {to} is already patient {patientId}'s home site.");
        }

        var shareBack = request.ShareWithPreviousSite ?? false;
        if (!shareBack && await InUseAsync(db, patientId, from, ct) is { } inUse)
        {
            return inUse.ToProblem();
        }

        var user = http.User.UserName();
        var now = clock.GetUtcNow().UtcDateTime;
        // The new home site needs no share of its own; the previous one keeps access only when asked.
        foreach (var redundant in await db.PatientShares.Where(s => s.PatientId == patientId && s.SiteId == to && s.RevokedAt == null).ToListAsync(ct))
        {
            redundant.Revoke("the site became the patient's home site", user, now);
        }

        if (shareBack)
        {
            db.PatientShares.Add(PatientShare.Grant(patientId, from, $"previous home site, kept when the record moved: {request.Reason!.Trim()}", user, now));
        }

        patient.MoveHome(to, user, now);
        db.HomeSiteMoves.Add(HomeSiteMove.Record(patientId, from, to, request.Reason!, user, now));
        await db.SaveChangesAsync(ct);
        ETags.Set(http.Response, patient.Version);
        return TypedResults.Ok(PatientResponse.From(patient, await PatientResponse.OpenSafetyFlagsOf(db, http.User, patientId, ct)));
    }

    /// <param name="patientId">The patient's id.</param>
    private static Task<Results<Ok<Page<HomeSiteMoveResponse>>, ValidationProblem, ProblemHttpResult>> ListHomeSiteMoves(
        Guid patientId, ClinicDbContext db, CancellationToken ct, int? limit = null, string? cursor = null) =>
        Paging.OfPatientAsync(db, patientId, db.HomeSiteMoves, limit, cursor, HomeSiteMoveResponse.From, ct);

    /// <summary>
    /// A site still treats the patient while it has an active plan or a session not yet ended there: losing sight of
    /// the record then would leave its staff unable to finish what they started (domain.md §14).
    /// </summary>
    private static async Task<RuleViolation?> InUseAsync(ClinicDbContext db, Guid patientId, Guid siteId, CancellationToken ct)
    {
        var plan = await db.Plans.Where(p => p.PatientId == patientId && p.SiteId == siteId && p.Status == PlanStatus.Active)
            .Select(p => (Guid?)p.Id).FirstOrDefaultAsync(ct);
        var session = await db.Sessions.Where(s => s.PatientId == patientId && s.SiteId == siteId &&
                (s.Status == SessionStatus.Scheduled || s.Status == SessionStatus.CheckedIn || s.Status == SessionStatus.InProgress))
            .Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
        return plan is null && session is null
            ? null
            : RuleViolation.Conflict("site.in-use", "The site still treats the patient.",
                $"Site {siteId} has {(plan is { } p ? $"active plan {p}" : $"open session {session}")} of patient {patientId}; " +
                "complete or discontinue its plans and end its sessions first (or, when moving, keep the site's access with shareWithPreviousSite).");
    }

    private static ProblemHttpResult AlreadyShared(Guid patientId, Guid siteId) =>
        Problems.Conflict("share.exists", "The site already sees the record.",
            $"Site {siteId} is patient {patientId}'s home site or already holds an active share.");
}
