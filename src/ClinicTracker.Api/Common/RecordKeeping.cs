using ClinicTracker.Api.Auditing;
using ClinicTracker.Core.Adherence;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Idempotency;

namespace ClinicTracker.Api.Common;

/// <summary>
/// The filter every API route runs inside (domain.md §8; ADR 0013). A write claims its idempotency key,
/// runs, and commits its changes, its audit row and its stored response in ONE transaction before the
/// response is sent, so no client is told of a change the record lacks, no change goes unaudited, and a
/// crash leaves nothing half-done. The adherence summaries of the plans the write changed are recomputed in
/// that transaction too (ADR 0016), so the clinic-wide report never lags a write. A refused write is rolled back and its refusal audited. A read's row is
/// group-committed with other requests' rows (<see cref="AuditBatcher"/>) before its response is sent.
/// </summary>
public static class RecordKeeping
{
    public static TBuilder WithRecordKeeping<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(Invoke);

    private static async ValueTask<object?> Invoke(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var db = http.RequestServices.GetRequiredService<ClinicDbContext>();
        var audit = http.RequestServices.GetRequiredService<AuditTrail>();

        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
        {
            var read = await next(context);
            await audit.RecordAsync(db, http, StatusOf(read, http));
            return read;
        }

        var gate = http.RequestServices.GetRequiredService<WriterGate>();
        IdempotencyStart start;
        object? result;
        int status;
        using (await gate.EnterAsync(db, http.RequestAborted))
        {
            // An exception rolls everything back, the claim included (the transaction is disposed unfinished).
            await using var transaction = await db.Database.BeginTransactionAsync(http.RequestAborted);
            // No savepoint around each SaveChanges: a failed save (a unique or version race) is answered with a
            // 409 and the whole transaction rolled back, never continued — two statements fewer per save.
            db.Database.AutoSavepointsEnabled = false;
            start = http.GetEndpoint()?.Metadata.GetMetadata<IdempotentMetadata>() is null
                ? new IdempotencyStart(null, null)
                : await Idempotency.StartAsync(http, db, context.Arguments);

            // Answered from the key's earlier use (a replay, 422) or a malformed key (400): nothing to run.
            result = start.Immediate ?? await next(context);
            status = StatusOf(result, http);
            if (start.Immediate is null && status < StatusCodes.Status400BadRequest)
            {
                // What the handler left unsaved first: the summaries are computed from the saved rows.
                await db.SaveChangesAsync(CancellationToken.None);
                if (db.PlansWithAdherenceChanges.Count > 0)
                {
                    var clock = http.RequestServices.GetRequiredService<TimeProvider>();
                    await AdherenceSummaries.RefreshAsync(db, [.. db.PlansWithAdherenceChanges], clock.GetUtcNow().UtcDateTime, CancellationToken.None);
                    db.ForgetAdherenceChanges();
                }

                // Last before the commit: the audit row claims a chain head, held until the commit.
                await audit.AddAsync(db, http, status, CreatedId(result), CancellationToken.None);
                if (start.Claim is not null && result is IResult rendered)
                {
                    result = await Idempotency.CompleteAsync(http, db, start.Claim, rendered);
                }

                await db.SaveChangesAsync(CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
                return result;
            }

            // A refused write stores nothing, whatever the handler did before refusing.
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            db.ForgetAdherenceChanges();
        }

        return await RecordRefusalAsync(http, db, audit, gate, start.Claim, result, status);
    }

    /// <summary>
    /// Audits a write that stored nothing: a replay, or a refusal. With a key, a refusal that depends only on the
    /// request (400, 404, 422…) is stored with the key, in a transaction of its own, so a retry gets the same
    /// answer; a 409 (it depends on the record's state at that moment, e.g. session.concurrent-change) is not, so
    /// a retry runs again.
    /// </summary>
    private static async Task<object?> RecordRefusalAsync(
        HttpContext http, ClinicDbContext db, AuditTrail audit, WriterGate gate, IdempotencyRecord? claim, object? result, int status)
    {
        if (claim is null || result is not IResult rendered || status is StatusCodes.Status409Conflict or >= StatusCodes.Status500InternalServerError)
        {
            await audit.RecordAsync(db, http, status);
            return result;
        }

        using (await gate.EnterAsync(db, CancellationToken.None))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            if (await Idempotency.ClaimAgainAsync(db, claim))
            {
                result = await Idempotency.CompleteAsync(http, db, claim, rendered);
            }

            await audit.AddAsync(db, http, status, createdId: null, CancellationToken.None);
            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        return result;
    }

    /// <summary>The status the result will send (Results&lt;…&gt; unions are unwrapped).</summary>
    internal static int StatusOf(object? result, HttpContext http)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        return result is IStatusCodeHttpResult { StatusCode: { } status } ? status : http.Response.StatusCode;
    }

    /// <summary>The id of a resource a 201 created, read from its Location.</summary>
    private static Guid? CreatedId(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        var location = result?.GetType().GetProperty("Location")?.GetValue(result) as string;
        return location is not null && Guid.TryParse(location[(location.LastIndexOf('/') + 1)..], out var id) ? id : null;
    }
}
