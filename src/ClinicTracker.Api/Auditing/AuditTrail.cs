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
/// </summary>
public sealed class AuditTrail(TimeProvider clock)
{
    /// <summary>Adds the row for this request to <paramref name="db"/>; the caller saves it inside an open transaction.</summary>
    public async Task AddAsync(ClinicDbContext db, HttpContext http, int status, Guid? createdId, CancellationToken ct)
    {
        var endpoint = http.GetEndpoint() as RouteEndpoint;
        var resourceId = createdId ?? LastRouteId(http, endpoint);
        var facts = new AuditFacts(
            clock.GetUtcNow().UtcDateTime,
            http.User.Identity?.Name ?? "anonymous",
            string.Join(' ', http.User.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal)),
            endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "unknown",
            http.Request.Method,
            endpoint?.RoutePattern.RawText ?? "",
            endpoint?.Metadata.GetMetadata<ITagsMetadata>()?.Tags.FirstOrDefault()?.ToLowerInvariant(),
            resourceId,
            await PatientOfAsync(db, http, createdId, ct),
            status,
            ProblemDefaults.TraceId(http));

        // Inside the transaction the last row cannot move (SQLite's writer lock; the unique sequence elsewhere).
        var previous = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Sequence).FirstOrDefaultAsync(ct);
        db.AuditEntries.Add(AuditEntry.Append(facts, previous));
    }

    /// <summary>
    /// Appends the row in a transaction of its own, for a request that wrote nothing of its own (an idempotent
    /// replay, a refusal by the authorization checks).
    /// </summary>
    public async Task AppendAloneAsync(ClinicDbContext db, HttpContext http, int status)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        await AddAsync(db, http, status, createdId: null, CancellationToken.None);
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
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
