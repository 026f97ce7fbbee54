using System.Globalization;
using ClinicTracker.Api.Common;
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
            .WithSummary("The audit trail, newest first; filter by patientId, userName, from, to (instants).")
            .ProducesValidationProblem();
        group.MapGet("/audit/verify", VerifyAudit).WithName(nameof(VerifyAudit))
            .WithSummary("Check the whole hash chain and report the first broken row, if any.");
        return app;
    }

    private static async Task<Results<Ok<Page<AuditEntryResponse>>, ValidationProblem>> ListAudit(
        ClinicDbContext db, QueryValues values, CancellationToken ct, Guid? patientId = null, string? userName = null,
        string? from = null, string? to = null, int? limit = null, string? cursor = null)
    {
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
        query = patientId is { } p ? query.Where(a => a.PatientId == p) : query;
        query = string.IsNullOrWhiteSpace(userName) ? query : query.Where(a => a.UserName == userName.Trim());
        query = fromUtc is { } f ? query.Where(a => a.At >= f) : query;
        query = toUtc is { } t ? query.Where(a => a.At < t) : query;
        if (position is not null)
        {
            if (!long.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out var before))
            {
                return Problems.Validation("cursor", "cursor is not one this API issued.");
            }

            query = query.Where(a => a.Sequence < before);
        }

        var rows = await query.OrderByDescending(a => a.Sequence).Take(pageSize + 1).ToListAsync(ct);
        var next = rows.Count > pageSize ? Paging.Encode(rows[pageSize - 1].Sequence.ToString(CultureInfo.InvariantCulture)) : null;
        return TypedResults.Ok(new Page<AuditEntryResponse>([.. rows.Take(pageSize).Select(ToResponse)], next));
    }

    private static async Task<Ok<AuditVerification>> VerifyAudit(ClinicDbContext db, CancellationToken ct)
    {
        AuditEntry? previous = null;
        long checkedRows = 0;
        while (true)
        {
            var after = previous?.Sequence ?? 0;
            var batch = await db.AuditEntries.AsNoTracking().Where(a => a.Sequence > after)
                .OrderBy(a => a.Sequence).Take(VerifyBatch).ToListAsync(ct);
            if (AuditChain.FindBreak(batch, previous) is { } broken)
            {
                checkedRows += batch.TakeWhile(a => a.Sequence != broken.Sequence).Count() + 1;
                return TypedResults.Ok(new AuditVerification(false, checkedRows,
                    new AuditBreakResponse(broken.Sequence, broken.RowId, broken.Reason)));
            }

            checkedRows += batch.Count;
            if (batch.Count < VerifyBatch)
            {
                return TypedResults.Ok(new AuditVerification(true, checkedRows, null));
            }

            previous = batch[^1];
        }
    }

    private static AuditEntryResponse ToResponse(AuditEntry a) => new(
        a.Sequence, a.Id, a.At, a.UserName, a.Roles.Split(' ', StringSplitOptions.RemoveEmptyEntries), a.Action, a.Method, a.Route,
        a.ResourceType, a.ResourceId, a.PatientId, a.Status, a.CorrelationId, a.Hash);
}
