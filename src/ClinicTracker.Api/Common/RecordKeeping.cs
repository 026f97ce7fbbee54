using ClinicTracker.Api.Auditing;
using ClinicTracker.Core.Data;
using Microsoft.EntityFrameworkCore.Storage;

namespace ClinicTracker.Api.Common;

/// <summary>
/// The filter every API route runs inside (domain.md §8). A write's changes, its audit row and its stored
/// idempotent response commit in ONE transaction before the response is sent, so no client is told of a
/// change the record lacks and no change goes unaudited. A refused write is rolled back and its refusal
/// audited. Reads append their audit row after the handler.
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

        var start = http.GetEndpoint()?.Metadata.GetMetadata<IdempotentMetadata>() is null
            ? new IdempotencyStart(null, null)
            : await Idempotency.StartAsync(http, context.Arguments);
        if (start.Immediate is { } immediate)
        {
            await audit.AppendAloneAsync(db, http, StatusOf(immediate, http));
            return immediate;
        }

        var isWrite = !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);
        IDbContextTransaction? transaction = isWrite ? await db.Database.BeginTransactionAsync(http.RequestAborted) : null;
        try
        {
            object? result;
            try
            {
                result = await next(context);
            }
            catch
            {
                if (start.Claim is not null)
                {
                    // Roll back first: the claim is deleted on another connection, which would otherwise wait
                    // for this request's own writer lock (SQLite) until the busy timeout.
                    if (transaction is not null)
                    {
                        await transaction.RollbackAsync(CancellationToken.None);
                        await transaction.DisposeAsync();
                        transaction = null;
                    }

                    await Idempotency.ReleaseAsync(http, start.Claim);
                }

                throw;
            }

            var status = StatusOf(result, http);
            if (transaction is not null && status >= StatusCodes.Status400BadRequest)
            {
                // A refused write stores nothing, whatever the handler did before refusing.
                await transaction.RollbackAsync(CancellationToken.None);
                await transaction.DisposeAsync();
                db.ChangeTracker.Clear();
                transaction = null;
            }

            // The audit append needs a transaction of its own when the handler's is not there to carry it.
            transaction ??= await db.Database.BeginTransactionAsync(CancellationToken.None);
            await audit.AddAsync(db, http, status, CreatedId(result), CancellationToken.None);
            if (start.Claim is not null && result is IResult rendered)
            {
                // A conflict depends on the record's state at that moment (e.g. session.concurrent-change): a
                // retry with the same key must run again rather than be told "conflict" for 48 hours.
                if (status is >= StatusCodes.Status500InternalServerError or StatusCodes.Status409Conflict)
                {
                    // Released in this request's transaction (a second connection would wait on our own lock).
                    Idempotency.Release(db, start.Claim);
                }
                else
                {
                    result = await Idempotency.CompleteAsync(http, db, start.Claim, rendered);
                }
            }

            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            return result;
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
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
