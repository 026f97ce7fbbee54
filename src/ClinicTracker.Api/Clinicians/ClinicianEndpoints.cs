using ClinicTracker.Api.Common;
using ClinicTracker.Api.Sites;
using ClinicTracker.Core.Clinicians;
using ClinicTracker.Core.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Clinicians;

public static class ClinicianEndpoints
{
    public static RouteGroupBuilder MapClinicians(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Clinicians");
        group.MapPost("/clinicians", RegisterClinician).WithName(nameof(RegisterClinician))
            .WithSummary("Add a staff member or a system client (integrator) to the register.").RequireAuthorization(Policies.Admin)
            .Validate<RegisterClinicianRequest>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "clinician.duplicate-user-name", "site.inactive");
        group.MapGet("/clinicians", ListClinicians).WithName(nameof(ListClinicians))
            .WithSummary("List the registry, ordered by user name.").RequireAuthorization(Policies.Staff)
            .ProducesValidationProblem();
        group.MapGet("/clinicians/{id:guid}", GetClinician).WithName(nameof(GetClinician))
            .WithSummary("Read a registry entry.").RequireAuthorization(Policies.Staff)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/clinicians/{id:guid}", UpdateClinician).WithName(nameof(UpdateClinician))
            .WithSummary("Change a registry entry (deactivate instead of delete). If-Match is honoured when sent.")
            .RequireAuthorization(Policies.Admin).Validate<UpdateClinicianRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "site.inactive")
            .ProducesProblems(StatusCodes.Status412PreconditionFailed, "precondition.failed").ProducesProblems(StatusCodes.Status422UnprocessableEntity, "clinician.all-sites-role");
        return group;
    }

    private static async Task<Results<Created<ClinicianResponse>, ProblemHttpResult>> RegisterClinician(
        RegisterClinicianRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var allSites = request.AllSites ?? false;
        var sites = request.Sites;
        if (sites is null && !allSites)
        {
            // A single clinic need not name its one site; a group must say where the person works.
            var known = await db.Sites.Where(s => s.Active).Select(s => s.Id).Take(2).ToListAsync(ct);
            if (known.Count != 1)
            {
                return Problems.Invalid("sites", known.Count == 0
                    ? "sites is required: no site is active, so name the sites the person works at (or allSites for an admin or integrator)."
                    : "sites is required: the group has several sites, so name those the person works at (or allSites for an admin or integrator).");
            }

            sites = known;
        }

        // The default (the only active site) was just read as active; only sites the request names are looked up.
        if (await SitesRefusalAsync(db, request.Sites, [], ct) is { } badSite)
        {
            return badSite;
        }

        var clinician = Clinician.Register(request.UserName!, request.DisplayName!, request.Role!.Value,
            request.RegistrationNumber, http.User.UserName(), clock.GetUtcNow().UtcDateTime, sites ?? [], allSites, request.Active ?? true);
        if (await db.Clinicians.AnyAsync(c => c.UserNameNormalized == clinician.UserNameNormalized, ct))
        {
            return DuplicateUserName();
        }

        db.Clinicians.Add(clinician);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return DuplicateUserName();
        }

        ETags.Set(http.Response, clinician.Version);
        return TypedResults.Created($"/api/v1/clinicians/{clinician.Id}", ClinicianResponse.From(clinician));
    }

    /// <param name="active">Only active (true) or inactive (false) register entries; all when absent.</param>
    private static async Task<Results<Ok<Page<ClinicianResponse>>, ValidationProblem>> ListClinicians(
        ClinicDbContext db, CancellationToken ct, bool? active = null, int? limit = null, string? cursor = null)
    {
        if (Paging.TryRead(limit, cursor, out var pageSize, out var after) is { } invalid)
        {
            return invalid;
        }

        var query = db.Clinicians.AsQueryable();
        if (active is not null)
        {
            query = query.Where(c => c.Active == active);
        }

        if (after is not null)
        {
            // User names are unique, so the normalized name alone is a stable keyset position.
            query = query.Where(c => c.UserNameNormalized.CompareTo(after) > 0);
        }

        var rows = await query.OrderBy(c => c.UserNameNormalized).Take(pageSize + 1)
            .Select(c => new { c.UserNameNormalized, Response = ClinicianResponse.From(c) }).ToListAsync(ct);
        var next = rows.Count > pageSize ? Paging.Encode(rows[pageSize - 1].UserNameNormalized) : null;
        return TypedResults.Ok(new Page<ClinicianResponse>(rows.Take(pageSize).Select(r => r.Response).ToList(), next));
    }

    /// <param name="id">The register entry's id.</param>
    private static async Task<Results<Ok<ClinicianResponse>, ProblemHttpResult>> GetClinician(
        Guid id, ClinicDbContext db, HttpContext http, CancellationToken ct)
    {
        var clinician = await db.Clinicians.Where(c => c.Id == id).Select(ClinicianResponse.Projection).FirstOrDefaultAsync(ct);
        if (clinician is null)
        {
            return Problems.NotFound("clinician", id);
        }

        ETags.Set(http.Response, clinician.Version);
        return TypedResults.Ok(clinician);
    }

    /// <param name="id">The register entry's id.</param>
    private static async Task<Results<Ok<ClinicianResponse>, ProblemHttpResult>> UpdateClinician(
        Guid id, UpdateClinicianRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var clinician = await db.Clinicians.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (clinician is null)
        {
            return Problems.NotFound("clinician", id);
        }

        if (http.Request.Headers.IfMatch.Count > 0 && ETags.CheckIfMatch(http.Request, clinician.Version) is { } precondition)
        {
            return precondition;
        }

        // domain.md §14: an all-sites grant stays with admins and integrators, whichever of role and grant changes.
        if ((request.AllSites ?? (request.Sites is null && clinician.AllSites)) && !Clinician.MayHoldAllSites(request.Role ?? clinician.Role))
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "clinician.all-sites-role", "Only admins and integrators may hold every site.",
                $"Clinician {id} holds (or would hold) every site; send the sites they work at along with the new role.");
        }

        if (await SitesRefusalAsync(db, request.Sites, clinician.Sites, ct) is { } badSite)
        {
            return badSite;
        }

        clinician.Change(request.DisplayName, request.Role, request.RegistrationNumber, request.Active,
            http.User.UserName(), clock.GetUtcNow().UtcDateTime, request.Sites, request.AllSites);
        await db.SaveChangesAsync(ct);
        ETags.Set(http.Response, clinician.Version);
        return TypedResults.Ok(ClinicianResponse.From(clinician));
    }

    /// <summary>Every site named exists (404) and, when it is new to the entry, takes staff (an inactive site takes no one new).</summary>
    private static async Task<ProblemHttpResult?> SitesRefusalAsync(
        ClinicDbContext db, IReadOnlyList<Guid>? sites, IEnumerable<ClinicianSite> alreadyAt, CancellationToken ct)
    {
        foreach (var siteId in (sites ?? []).Where(id => alreadyAt.All(s => s.SiteId != id)))
        {
            if (await SiteAccess.ActiveSiteAsync(db, siteId, "staff", ct) is { Refusal: { } refusal })
            {
                return refusal;
            }
        }

        return null;
    }

    private static ProblemHttpResult DuplicateUserName() =>
        Problems.Conflict("clinician.duplicate-user-name", "The user name is already registered.",
            "Another clinician has this user name.");
}
