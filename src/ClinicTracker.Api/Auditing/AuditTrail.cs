using System.Security.Claims;
using ClinicTracker.Api.Common;
using ClinicTracker.Core.Auditing;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Sites;
using ClinicTracker.Core.Stock;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Auditing;

/// <summary>
/// Writes audit rows: who (token user and roles), what (operation, route template, resource), which
/// patient and site, outcome status and correlation id — ids only, never names, birth dates, notes or query text.
/// A write's row joins the write's own transaction (<see cref="AddAsync"/>); every other request's row is
/// group-committed by <see cref="AuditBatcher"/> before the response is sent (<see cref="RecordAsync"/>; ADR 0013).
/// </summary>
public sealed class AuditTrail(TimeProvider clock, AuditBatcher batcher)
{
    /// <summary>The comment on record keeping's own lookups (the audit row's patient and site, the register), so diagnostics can tell them apart.</summary>
    public const string RecordKeepingTag = "record-keeping";

    private const string NotedRecordKey = "ClinicTracker.AuditedRecord";

    /// <summary>
    /// Tells the audit row of this request the patient and site of the record the handler has just read, so the row
    /// needs no lookup of its own: a handler that found its record calls it, a refused look (404) does not, and is
    /// looked up past the caller's sites as before. Only for the record the route names (its last id).
    /// </summary>
    public static void NoteRecord(HttpContext http, Guid patientId, Guid siteId)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Items[NotedRecordKey] = new RecordSite(patientId, siteId);
    }

    /// <summary>
    /// Adds the row for this write to <paramref name="db"/>, after a chain head claimed for the rest of the open
    /// transaction: call it last, just before the caller saves and commits, so the head is held briefly.
    /// </summary>
    public async Task AddAsync(ClinicDbContext db, HttpContext http, int status, Guid? createdId, CancellationToken ct)
    {
        var facts = await FactsAsync(db, http, status, createdId, ct);
        var head = await AuditChainStore.ClaimHeadAsync(db, ct);
        db.AuditEntries.Add(head.Append(facts));
    }

    /// <summary>
    /// Records a request that changed nothing (a read, an idempotent replay, a refusal) and returns once its row
    /// is committed; <paramref name="db"/> only looks up the patient the request concerns.
    /// </summary>
    public async Task RecordAsync(ClinicDbContext db, HttpContext http, int status) =>
        await batcher.AppendAsync(await FactsAsync(db, http, status, createdId: null, CancellationToken.None));

    private async Task<AuditFacts> FactsAsync(ClinicDbContext db, HttpContext http, int status, Guid? createdId, CancellationToken ct)
    {
        var endpoint = http.GetEndpoint() as RouteEndpoint;
        var record = await RecordOfAsync(db, http, createdId, ct);
        return new AuditFacts(
            clock.GetUtcNow().UtcDateTime,
            http.User.Identity?.Name ?? "anonymous",
            string.Join(' ', http.User.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal)),
            endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "unknown",
            http.Request.Method,
            endpoint?.RoutePattern.RawText ?? "",
            endpoint?.Metadata.GetMetadata<ITagsMetadata>()?.Tags.FirstOrDefault()?.ToLowerInvariant(),
            createdId ?? LastRouteId(http, endpoint),
            record.PatientId,
            status,
            ProblemDefaults.TraceId(http),
            record.SiteId);
    }

    private static Guid? LastRouteId(HttpContext http, RouteEndpoint? endpoint)
    {
        Guid? last = null;
        foreach (var parameter in endpoint?.RoutePattern.Parameters ?? [])
        {
            if (Guid.TryParse(http.GetRouteValue(parameter.Name)?.ToString(), out var id))
            {
                last = id;
            }
        }

        return last;
    }

    /// <summary>The patient and site of the record a request touched: ids only (domain.md §8, §14).</summary>
    private readonly record struct RecordSite(Guid? PatientId, Guid? SiteId);

    /// <summary>
    /// The patient whose record the request touched and the site of that record (a session's or plan's site, else the
    /// patient's home site), from the route or the resource it names. The lookups look past the caller's sites: a
    /// refused look at another site's record is audited with that record's patient and site, for that site's admins.
    /// </summary>
    private static async Task<RecordSite> RecordOfAsync(ClinicDbContext db, HttpContext http, Guid? createdId, CancellationToken ct)
    {
        if (createdId is null && http.Items.TryGetValue(NotedRecordKey, out var noted) && noted is RecordSite known)
        {
            return known;
        }

        Guid? Route(string name) => Guid.TryParse(http.GetRouteValue(name)?.ToString(), out var id) ? id : null;

        var template = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "";
        var sessions = db.Sessions.IgnoreQueryFilters();
        var patients = db.Patients.IgnoreQueryFilters();
        IQueryable<RecordSite>? record = null;
        if (Route("sessionId") is { } sessionId)
        {
            record = sessions.Where(s => s.Id == sessionId).Select(s => new RecordSite(s.PatientId, s.SiteId));
        }
        else if (Route("planId") is { } planId)
        {
            record = db.Plans.IgnoreQueryFilters().Where(p => p.Id == planId).Select(p => new RecordSite(p.PatientId, p.SiteId));
        }
        else if ((Route("patientId") ?? (template.StartsWith("/api/v1/patients", StringComparison.Ordinal) ? Route("id") ?? createdId : null)) is { } patientId)
        {
            // /patients/{patientId}/…, /patients/{id}… or a registration (the created id).
            record = patients.Where(p => p.Id == patientId).Select(p => new RecordSite(p.Id, p.HomeSiteId));
        }
        else if (template.StartsWith("/api/v1/sites", StringComparison.Ordinal))
        {
            return new RecordSite(null, Route("siteId") ?? createdId);
        }
        else if (template.StartsWith("/api/v1/stock", StringComparison.Ordinal))
        {
            // Stock is no patient's record: the row names the site whose stock it is (domain.md §12, §14).
            record = Route("lotId") is { } lotId ? AtSite(db.StockLots, lotId)
                : Route("receiptId") is { } receiptId ? AtSite(db.StockReceipts, receiptId)
                : Route("disposalId") is { } disposalId ? AtSite(db.StockDisposals, disposalId)
                : Route("countId") is { } countId ? AtSite(db.StockCounts, countId)
                : Route("discrepancyId") is { } discrepancyId ? AtSite(db.StockDiscrepancies, discrepancyId)
                : createdId is { } receipt ? AtSite(db.StockReceipts, receipt)
                : null;
        }
        else if (Route("observationId") is { } observationId)
        {
            record = AtItsSession(db.Observations, observationId);
        }
        else if (Route("adverseEventId") is { } adverseEventId)
        {
            record = AtItsSession(db.AdverseEvents, adverseEventId);
        }
        else if (Route("doseId") is { } doseId)
        {
            record = AtItsSession(db.Doses, doseId);
        }
        else if (Route("wasteId") is { } wasteId)
        {
            record = AtItsSession(db.Waste, wasteId);
        }
        else if (Route("assessmentId") is { } assessmentId)
        {
            record = AtHomeSite(db.Assessments, assessmentId);
        }
        else if (Route("flagId") is { } flagId)
        {
            record = AtHomeSite(db.SafetyFlags, flagId);
        }

        return record is null ? default : await record.TagWith(RecordKeepingTag).FirstOrDefaultAsync(ct);

        // A session's part was recorded at its session's site; a patient-level record belongs to the home site.
        IQueryable<RecordSite> AtItsSession<T>(IQueryable<T> records, Guid id)
            where T : class, ISessionLinked =>
            records.IgnoreQueryFilters().Where(r => r.Id == id).Join(sessions, r => r.SessionId, s => s.Id, (r, s) => new RecordSite(r.PatientId, s.SiteId));

        static IQueryable<RecordSite> AtSite<T>(IQueryable<T> records, Guid id)
            where T : class, ISiteLinked =>
            records.IgnoreQueryFilters().Where(r => r.Id == id).Select(r => new RecordSite(null, r.SiteId));

        IQueryable<RecordSite> AtHomeSite<T>(IQueryable<T> records, Guid id)
            where T : class, IPatientLinked =>
            records.IgnoreQueryFilters().Where(r => r.Id == id).Join(patients, r => r.PatientId, p => p.Id, (r, p) => new RecordSite(r.PatientId, p.HomeSiteId));
    }
}
