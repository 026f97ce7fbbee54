using ClinicTracker.Api.Common;
using ClinicTracker.Api.Sites;
using ClinicTracker.Core.Auditing;
using ClinicTracker.Core.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Auditing;

public static class AuditEndpoints
{
    private const int VerifyBatch = 2000;

    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Audit").RequireAuthorization(Policies.Admin);
        group.MapGet("/audit", ListAudit).WithName(nameof(ListAudit))
            .WithSummary("The audit trail of your sites' records (and of requests about no site's record), newest first; filter by siteId, patientId, userName, from, to (instants).")
            .ProducesValidationProblem()
            .ProducesProblems(StatusCodes.Status403Forbidden, "site.not-assigned");
        group.MapGet("/audit/verify", VerifyAudit).WithName(nameof(VerifyAudit))
            .WithSummary("Check every hash chain, each against its head, and report the first broken row, if any.");
        group.MapGet("/audit/head", AuditHead).WithName(nameof(AuditHead))
            .WithSummary("The chains' heads now: keep a copy outside the database to prove later that no rows were cut off the end.");
        group.MapPost("/audit/head/verify", VerifyAuditHead).WithName(nameof(VerifyAuditHead))
            .WithSummary("Check a head exported earlier: every chain must still hold that row with that hash.")
            .ProducesValidationProblem();
        return app;
    }

    /// <param name="patientId">Only entries about this patient.</param>
    /// <param name="userName">Only entries by this user (the token's name, case-insensitive).</param>
    /// <param name="from">Only entries at or after this instant (ISO 8601 with offset, e.g. 2026-03-02T09:00:00Z).</param>
    /// <param name="to">Only entries before this instant (ISO 8601 with offset).</param>
    /// <param name="siteId">Only entries of this site (one of yours).</param>
    private static async Task<Results<Ok<Page<AuditEntryResponse>>, ValidationProblem, ProblemHttpResult>> ListAudit(
        ClinicDbContext db, QueryValues values, CancellationToken ct, Guid? patientId = null, string? userName = null,
        [QueryFormat("date-time")] string? from = null, [QueryFormat("date-time")] string? to = null, Guid? siteId = null, int? limit = null, string? cursor = null)
    {
        // domain.md §14: an admin reads the trail of the sites they work at; a site they do not is a 403.
        var (sites, notAssigned) = SiteAccess.ListScope(db, siteId);
        if (sites is null)
        {
            return notAssigned!;
        }

        if (Paging.TryRead(limit, cursor, out var pageSize, out var position) is { } invalid)
        {
            return invalid;
        }

        if (!values.TryInstant(from, out var fromUtc))
        {
            return Problems.Validation("from", "Send an ISO-8601 instant with an offset.");
        }

        if (!values.TryInstant(to, out var toUtc))
        {
            return Problems.Validation("to", "Send an ISO-8601 instant with an offset.");
        }

        var query = db.AuditEntries.AsNoTracking();
        var ids = sites.SiteIds;
        query = siteId is { } one ? query.Where(a => a.SiteId == one)
            : sites.AllSites ? query
            : query.Where(a => a.SiteId == null || ids.Contains(a.SiteId.Value));
        query = patientId is { } p ? query.Where(a => a.PatientId == p) : query;
        query = string.IsNullOrWhiteSpace(userName) ? query : query.Where(a => a.UserName == userName.Trim());
        query = fromUtc is { } f ? query.Where(a => a.At >= f) : query;
        query = toUtc is { } t ? query.Where(a => a.At < t) : query;
        // Newest first in recording order (the rows' version-7 ids), across all chains.
        var (page, invalidCursor) = await Paging.ByRecordingOrderAsync(query, position, pageSize, ToResponse, newestFirst: true, ct);
        return page is null ? invalidCursor! : TypedResults.Ok(page);
    }

    private static async Task<Ok<AuditVerification>> VerifyAudit(ClinicDbContext db, CancellationToken ct)
    {
        // One snapshot: heads and rows as they were together, while appends go on.
        await using var snapshot = await AuditChainStore.BeginSnapshotAsync(db, ct);
        var heads = await db.AuditChainHeads.AsNoTracking().OrderBy(h => h.Chain).ToListAsync(ct);
        long checkedRows = 0;
        var stray = await db.AuditEntries.AsNoTracking().Where(a => a.Chain < 0 || a.Chain >= heads.Count)
            .OrderBy(a => a.Id).FirstOrDefaultAsync(ct);
        if (heads.Count != AuditChainHead.Count || heads.Select((h, i) => h.Chain != i).Any(wrong => wrong) || stray is not null)
        {
            return TypedResults.Ok(new AuditVerification(false, checkedRows, new AuditBreakResponse(
                stray?.Chain ?? heads.Count, stray?.Sequence ?? 0, stray?.Id, "The chain heads are not the ones the migrations created.")));
        }

        foreach (var head in heads)
        {
            AuditEntry? previous = null;
            while (true)
            {
                var after = previous?.Sequence ?? 0;
                var batch = await db.AuditEntries.AsNoTracking().Where(a => a.Chain == head.Chain && a.Sequence > after)
                    .OrderBy(a => a.Sequence).Take(VerifyBatch).ToListAsync(ct);
                if (AuditChain.FindBreak(batch, previous) is { } broken)
                {
                    checkedRows += batch.TakeWhile(a => a.Sequence != broken.Sequence).Count() + 1;
                    return TypedResults.Ok(new AuditVerification(false, checkedRows, ToResponse(broken)));
                }

                checkedRows += batch.Count;
                previous = batch.Count > 0 ? batch[^1] : previous;
                if (batch.Count < VerifyBatch)
                {
                    break;
                }
            }

            if (AuditChain.FindEndBreak(head, previous) is { } cut)
            {
                return TypedResults.Ok(new AuditVerification(false, checkedRows, ToResponse(cut)));
            }
        }

        return TypedResults.Ok(new AuditVerification(true, checkedRows, null));
    }

    private static async Task<Ok<AuditHeadResponse>> AuditHead(ClinicDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var heads = await db.AuditChainHeads.AsNoTracking().OrderBy(h => h.Chain)
            .Select(h => new AuditChainHeadResponse(h.Chain, h.Sequence, h.Hash)).ToListAsync(ct);
        return TypedResults.Ok(new AuditHeadResponse(clock.GetUtcNow().UtcDateTime, heads, heads.Sum(h => h.Sequence)));
    }

    private static async Task<Results<Ok<AuditHeadCheck>, ValidationProblem>> VerifyAuditHead(
        AuditHeadResponse exported, ClinicDbContext db, CancellationToken ct)
    {
        if (exported.Chains is null || exported.Chains.Count == 0 || exported.Chains.Any(c => c is null))
        {
            return Problems.Validation("chains", "Send the head as GET /api/v1/audit/head returned it.");
        }

        var results = new List<AuditChainHeadCheck>();
        foreach (var chain in exported.Chains)
        {
            var stored = chain.Sequence == 0
                ? AuditChain.GenesisHash
                : await db.AuditEntries.AsNoTracking().Where(a => a.Chain == chain.Chain && a.Sequence == chain.Sequence)
                    .Select(a => a.Hash).FirstOrDefaultAsync(ct);
            results.Add(new AuditChainHeadCheck(chain.Chain, chain.Sequence, stored is not null && stored == chain.Hash,
                stored is null ? "The row is missing: the chain was cut below the exported head." :
                stored == chain.Hash ? null : "The row at the exported head has another hash: it was changed."));
        }

        return TypedResults.Ok(new AuditHeadCheck(results.All(r => r.Matches), results));
    }

    private static AuditBreakResponse ToResponse(AuditBreak broken) => new(broken.Chain, broken.Sequence, broken.RowId, broken.Reason);

    private static AuditEntryResponse ToResponse(AuditEntry a) => new(
        a.Chain, a.Sequence, a.Id, a.At, a.UserName, a.Roles.Split(' ', StringSplitOptions.RemoveEmptyEntries), a.Action, a.Method, a.Route,
        a.ResourceType, a.ResourceId, a.PatientId, a.Status, a.CorrelationId, a.Hash, a.SiteId);
}
