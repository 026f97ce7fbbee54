using ClinicTracker.Api.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Sites;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Sites;

/// <summary>The group's clinic sites (domain.md §14): admins add and change them; every staff member reads them.</summary>
public static class SiteEndpoints
{
    public static RouteGroupBuilder MapSites(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Sites");
        group.MapPost("/sites", CreateSite).WithName(nameof(CreateSite))
            .WithSummary("Add a clinic site to the group.").RequireAuthorization(Policies.Admin)
            .Idempotent().Validate<CreateSiteRequest>().ProducesProblems(StatusCodes.Status409Conflict, "site.duplicate");
        group.MapGet("/sites", ListSites).WithName(nameof(ListSites))
            .WithSummary("List the group's sites, ordered by name.").RequireAuthorization(Policies.SiteReader)
            .ProducesValidationProblem();
        group.MapGet("/sites/{siteId:guid}", GetSite).WithName(nameof(GetSite))
            .WithSummary("Read a site; the ETag header is its version.").RequireAuthorization(Policies.SiteReader)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/sites/{siteId:guid}", UpdateSite).WithName(nameof(UpdateSite))
            .WithSummary("Change a site (deactivate instead of delete). If-Match is honoured when sent.")
            .RequireAuthorization(Policies.Admin).Validate<UpdateSiteRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "site.duplicate")
            .ProducesProblems(StatusCodes.Status412PreconditionFailed, "precondition.failed");
        return group;
    }

    private static async Task<Results<Created<SiteResponse>, ProblemHttpResult>> CreateSite(
        CreateSiteRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var site = Site.Create(request.Name!, request.TimeZone!, request.Address, request.DeaRegistration, request.Active ?? true,
            http.User.UserName(), clock.GetUtcNow().UtcDateTime);
        if (await DuplicateAsync(db, site, ct) is { } duplicate)
        {
            return duplicate;
        }

        db.Sites.Add(site);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Two sites of one name or DEA number raced past the check above; the unique index decided.
            return Duplicate();
        }

        ETags.Set(http.Response, site.Version);
        return TypedResults.Created($"/api/v1/sites/{site.Id}", SiteResponse.From(site));
    }

    /// <param name="active">Only active (true) or inactive (false) sites; all when absent.</param>
    private static async Task<Results<Ok<Page<SiteResponse>>, ValidationProblem>> ListSites(
        ClinicDbContext db, CancellationToken ct, bool? active = null, int? limit = null, string? cursor = null)
    {
        if (Paging.TryRead(limit, cursor, out var pageSize, out var after) is { } invalid)
        {
            return invalid;
        }

        var query = db.Sites.AsNoTracking();
        if (active is not null)
        {
            query = query.Where(s => s.Active == active);
        }

        if (after is not null)
        {
            // Names are unique, so the normalized name alone is a stable keyset position.
            query = query.Where(s => s.NameNormalized.CompareTo(after) > 0);
        }

        var rows = await query.OrderBy(s => s.NameNormalized).Take(pageSize + 1)
            .Select(s => new { s.NameNormalized, Response = SiteResponse.From(s) }).ToListAsync(ct);
        var next = rows.Count > pageSize ? Paging.Encode(rows[pageSize - 1].NameNormalized) : null;
        return TypedResults.Ok(new Page<SiteResponse>([.. rows.Take(pageSize).Select(r => r.Response)], next));
    }

    /// <param name="siteId">The site's id.</param>
    private static async Task<Results<Ok<SiteResponse>, ProblemHttpResult>> GetSite(Guid siteId, ClinicDbContext db, HttpContext http, CancellationToken ct)
    {
        var site = await db.Sites.AsNoTracking().Where(s => s.Id == siteId).Select(SiteResponse.Projection).FirstOrDefaultAsync(ct);
        if (site is null)
        {
            return Problems.NotFound("site", siteId);
        }

        ETags.Set(http.Response, site.Version);
        return TypedResults.Ok(site);
    }

    /// <param name="siteId">The site's id.</param>
    private static async Task<Results<Ok<SiteResponse>, ProblemHttpResult>> UpdateSite(
        Guid siteId, UpdateSiteRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var site = await db.Sites.FirstOrDefaultAsync(s => s.Id == siteId, ct);
        if (site is null)
        {
            return Problems.NotFound("site", siteId);
        }

        if (http.Request.Headers.IfMatch.Count > 0 && ETags.CheckIfMatch(http.Request, site.Version) is { } precondition)
        {
            return precondition;
        }

        site.Change(request.Name, request.TimeZone, request.Address, request.DeaRegistration, request.Active, http.User.UserName(),
            clock.GetUtcNow().UtcDateTime);
        if (await DuplicateAsync(db, site, ct) is { } duplicate)
        {
            return duplicate;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return Duplicate();
        }

        ETags.Set(http.Response, site.Version);
        return TypedResults.Ok(SiteResponse.From(site));
    }

    private static async Task<ProblemHttpResult?> DuplicateAsync(ClinicDbContext db, Site site, CancellationToken ct) =>
        await db.Sites.AnyAsync(s => s.Id != site.Id && (s.NameNormalized == site.NameNormalized ||
            (site.DeaRegistration != null && s.DeaRegistration == site.DeaRegistration)), ct)
            ? Duplicate()
            : null;

    private static ProblemHttpResult Duplicate() =>
        Problems.Conflict("site.duplicate", "Another site has this name or DEA registration.",
            "Site names and DEA registration numbers are unique within the group (one registration per location).");
}
