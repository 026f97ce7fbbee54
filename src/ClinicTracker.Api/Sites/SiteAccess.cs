using ClinicTracker.Api.Common;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Patients;
using ClinicTracker.Core.Sites;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Sites;

/// <summary>
/// The rules for what a caller may name by site (domain.md §14; ADR 0015). The caller's sites are the request
/// context's <see cref="ClinicDbContext.SiteScope"/>, which <see cref="StaffRegisterCeiling"/> set from the register:
/// the one record of them, read here and by the query filters alike. Visibility itself is not here: the filters
/// enforce it for every query; these rules only decide which sites a caller may name.
/// </summary>
public static class SiteAccess
{
    /// <summary>403: the caller named a site they do not work at. Sites are not secret (staff read the list), so this leaks nothing.</summary>
    public static ProblemHttpResult NotAssigned(Guid siteId) =>
        Problems.Create(StatusCodes.Status403Forbidden, "site.not-assigned", "You do not work at this site.",
            $"The staff register does not list site {siteId} among your sites; ask an admin to add it to your entry.");

    /// <summary>
    /// The sites a clinic-wide list covers: <paramref name="siteId"/> when the caller works there, else every site
    /// of the caller (domain.md §14: reports are per site; default, the caller's sites).
    /// </summary>
    public static (SiteScope? Scope, ProblemHttpResult? Refusal) ListScope(ClinicDbContext db, Guid? siteId)
    {
        var mine = db.SiteScope;
        if (siteId is not { } one)
        {
            return (mine, null);
        }

        return mine.Includes(one) ? (SiteScope.Of([one]), null) : (null, NotAssigned(one));
    }

    /// <summary>
    /// The home site of a patient the caller registers: the one named (a site the caller works at), or the caller's
    /// only site. A caller of several sites (or of all) must name it.
    /// </summary>
    public static Task<(Site? Site, ProblemHttpResult? Refusal)> HomeSiteForNewPatientAsync(ClinicDbContext db, Guid? siteId, CancellationToken ct) =>
        NamedOrOnlySiteAsync(db, siteId, "homeSiteId", "new patients", ct);

    /// <summary>
    /// The active site a new record is kept at: the one named in <paramref name="field"/> (a site the caller works at), or
    /// the caller's only site. A caller of several sites (or of all) must name it.
    /// </summary>
    public static async Task<(Site? Site, ProblemHttpResult? Refusal)> NamedOrOnlySiteAsync(
        ClinicDbContext db, Guid? siteId, string field, string what, CancellationToken ct)
    {
        var mine = db.SiteScope;
        if (siteId is null && (mine.AllSites || mine.SiteIds.Count != 1))
        {
            return (null, Problems.Invalid(field,
                $"{field} is required: you work at several sites (or none), so name the site that holds the record."));
        }

        var id = siteId ?? mine.SiteIds[0];
        if (!mine.Includes(id))
        {
            return (null, NotAssigned(id));
        }

        return await ActiveSiteAsync(db, id, what, ct);
    }

    /// <summary>
    /// The site a plan or session of <paramref name="patient"/> takes place at: the patient's home site or one the
    /// record is actively shared with (domain.md §14), and an active one.
    /// </summary>
    public static async Task<(Site? Site, ProblemHttpResult? Refusal)> TreatmentSiteAsync(
        ClinicDbContext db, Patient patient, Guid siteId, string what, CancellationToken ct)
    {
        var (site, refusal) = await ActiveSiteAsync(db, siteId, what, ct);
        if (site is null)
        {
            return (null, refusal);
        }

        if (siteId != patient.HomeSiteId && !await db.PatientShares.AnyAsync(s => s.PatientId == patient.Id && s.SiteId == siteId && s.RevokedAt == null, ct))
        {
            return (null, RuleViolation.Conflict("site.not-shared", "The record is not shared with this site.",
                $"Site {siteId} is neither patient {patient.Id}'s home site nor a site a prescriber shared the record with; share it first.").ToProblem());
        }

        return (site, null);
    }

    /// <summary>A site that exists (404) and is active (409 <c>site.inactive</c>).</summary>
    public static async Task<(Site? Site, ProblemHttpResult? Refusal)> ActiveSiteAsync(ClinicDbContext db, Guid siteId, string what, CancellationToken ct)
    {
        var site = await db.Sites.AsNoTracking().FirstOrDefaultAsync(s => s.Id == siteId, ct);
        if (site is null)
        {
            return (null, Problems.NotFound("site", siteId));
        }

        return site.RefuseUnlessActive(what) is { } inactive ? (null, inactive.ToProblem()) : (site, null);
    }

    /// <summary>
    /// 403 unless the caller works at the patient's home site: the home site owns who else sees the record (sharing,
    /// revoking, moving). The caller already sees the record, so this leaks nothing.
    /// </summary>
    public static ProblemHttpResult? RefuseUnlessAtHomeSite(ClinicDbContext db, Patient patient) => db.SiteScope.Includes(patient.HomeSiteId)
        ? null
        : Problems.Create(StatusCodes.Status403Forbidden, "site.not-home-site", "Only the home site's prescribers decide who sees the record.",
            $"Patient {patient.Id}'s home site is {patient.HomeSiteId}, where you do not work; ask a prescriber there.");
}
