using System.Security.Claims;
using ClinicTracker.Api.Common;
using ClinicTracker.Core.Auditing;
using ClinicTracker.Core.Data;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Auditing;

/// <summary>
/// Writes audit rows: who (token user and roles), what (operation, route template, resource), which
/// patient, outcome status and correlation id — ids only, never names, birth dates, notes or query text.
/// A write's row joins the write's own transaction (<see cref="AddAsync"/>); every other request's row is
/// group-committed by <see cref="AuditBatcher"/> before the response is sent (<see cref="RecordAsync"/>; ADR 0013).
/// </summary>
public sealed class AuditTrail(TimeProvider clock, AuditBatcher batcher)
{
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
        return new AuditFacts(
            clock.GetUtcNow().UtcDateTime,
            http.User.Identity?.Name ?? "anonymous",
            string.Join(' ', http.User.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal)),
            endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "unknown",
            http.Request.Method,
            endpoint?.RoutePattern.RawText ?? "",
            endpoint?.Metadata.GetMetadata<ITagsMetadata>()?.Tags.FirstOrDefault()?.ToLowerInvariant(),
            createdId ?? LastRouteId(http, endpoint),
            await PatientOfAsync(db, http, createdId, ct),
            status,
            ProblemDefaults.TraceId(http));
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

    /// <summary>The patient whose record the request touched, from the route or the resource it names.</summary>
    private static async Task<Guid?> PatientOfAsync(ClinicDbContext db, HttpContext http, Guid? createdId, CancellationToken ct)
    {
        Guid? Route(string name) => Guid.TryParse(http.GetRouteValue(name)?.ToString(), out var id) ? id : null;

        var template = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "";
        if (Route("patientId") is { } patientId)
        {
            return patientId;
        }

        if (template.StartsWith("/api/v1/patients", StringComparison.Ordinal))
        {
            // /patients/{id}… or a registration (the created id).
            return Route("id") ?? createdId;
        }

        if (Route("sessionId") is { } sessionId)
        {
            return await db.Sessions.Where(s => s.Id == sessionId).Select(s => (Guid?)s.PatientId).FirstOrDefaultAsync(ct);
        }

        if (Route("planId") is { } planId)
        {
            return await db.Plans.Where(p => p.Id == planId).Select(p => (Guid?)p.PatientId).FirstOrDefaultAsync(ct);
        }

        if (Route("observationId") is { } observationId)
        {
            return await db.Observations.Where(o => o.Id == observationId).Select(o => (Guid?)o.PatientId).FirstOrDefaultAsync(ct);
        }

        if (Route("adverseEventId") is { } adverseEventId)
        {
            return await db.AdverseEvents.Where(a => a.Id == adverseEventId).Select(a => (Guid?)a.PatientId).FirstOrDefaultAsync(ct);
        }

        if (Route("doseId") is { } doseId)
        {
            return await db.Doses.Where(d => d.Id == doseId).Select(d => (Guid?)d.PatientId).FirstOrDefaultAsync(ct);
        }

        if (Route("assessmentId") is { } assessmentId)
        {
            return await db.Assessments.Where(a => a.Id == assessmentId).Select(a => (Guid?)a.PatientId).FirstOrDefaultAsync(ct);
        }

        if (Route("flagId") is { } flagId)
        {
            return await db.SafetyFlags.Where(f => f.Id == flagId).Select(f => (Guid?)f.PatientId).FirstOrDefaultAsync(ct);
        }

        return null;
    }
}
