using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Idempotency;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Common;

/// <summary>Marks an operation that honours the <c>Idempotency-Key</c> header (for Swagger and the filter).</summary>
public sealed class IdempotentMetadata;

/// <summary>
/// <c>Idempotency-Key</c> on POSTs that create clinical records (domain.md §8). The first request with a
/// key claims it in the database (unique per user and key, so it holds across API instances and under
/// concurrent retries); its response is stored and replayed to every retry with the same body. The same
/// key with a different request is a 422. Keys are kept at least <see cref="RetentionHours"/> hours.
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const int RetentionHours = 48;
    private static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(15);

    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(Invoke).WithMetadata(new IdempotentMetadata())
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static async ValueTask<object?> Invoke(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        if (key.Length == 0)
        {
            return await next(context);
        }

        if (key.Length > 255 || key.Any(c => c < 0x21 || c > 0x7e))
        {
            return Problems.Validation(Header, "Idempotency-Key must be 1–255 visible ASCII characters.");
        }

        var services = http.RequestServices;
        var clock = services.GetRequiredService<TimeProvider>();
        var user = http.User.UserName();
        var hash = RequestHash(http, context.Arguments, services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);

        // A separate context: the claim must not share a change tracker with the handler's work.
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var claim = IdempotencyRecord.Claim(user, key, hash, clock.GetUtcNow().UtcDateTime);
        db.IdempotencyRecords.Add(claim);
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return await Replay(db, user, key, hash, http.RequestAborted);
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            await Release(db, claim);
            throw;
        }

        if (result is not IResult executable)
        {
            return result;
        }

        // Run the result into a buffer to keep exactly what the client received.
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await executable.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        if (http.Response.StatusCode >= StatusCodes.Status500InternalServerError)
        {
            await Release(db, claim);
        }
        else
        {
            claim.Complete(http.Response.StatusCode, http.Response.ContentType, http.Response.Headers.Location.ToString(), buffer.ToArray());
            await db.SaveChangesAsync(CancellationToken.None);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
        return Results.Empty;
    }

    private static async Task<IResult> Replay(ClinicDbContext db, string user, string key, string hash, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + WaitForFirst;
        while (true)
        {
            var first = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserName == user && r.Key == key, ct);
            if (first is null)
            {
                // The first request failed and released its claim.
                return Problems.Conflict("idempotency.in-progress", "The first request with this key did not finish.",
                    "Retry with the same Idempotency-Key.");
            }

            if (first.RequestHash != hash)
            {
                return Problems.Create(StatusCodes.Status422UnprocessableEntity, "idempotency.key-reused",
                    "The Idempotency-Key was used for another request.",
                    "Each Idempotency-Key may be used with one request only; send a new key for a new request.");
            }

            if (first.Completed)
            {
                return new StoredResponse(first);
            }

            if (DateTime.UtcNow > deadline)
            {
                return Problems.Conflict("idempotency.in-progress", "The first request with this key is still running.",
                    "Retry later with the same Idempotency-Key to get its result.");
            }

            // A concurrent retry: wait for the first request to finish, then answer as it did.
            await Task.Delay(100, ct);
        }
    }

    private static async Task Release(ClinicDbContext db, IdempotencyRecord claim)
    {
        db.IdempotencyRecords.Remove(claim);
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static string RequestHash(HttpContext http, IList<object?> arguments, JsonSerializerOptions options)
    {
        var text = new StringBuilder().Append(http.Request.Method).Append(' ').Append(http.Request.Path);
        foreach (var argument in arguments)
        {
            // The bound request records; services, tokens and the HttpContext are not part of the request.
            if (argument is not null && argument.GetType().Namespace?.StartsWith("ClinicTracker.Api", StringComparison.Ordinal) == true)
            {
                text.Append('\n').Append(JsonSerializer.Serialize(argument, argument.GetType(), options));
            }
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private sealed class StoredResponse(IdempotencyRecord record) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = record.StatusCode!.Value;
            httpContext.Response.Headers["Idempotent-Replayed"] = "true";
            if (!string.IsNullOrEmpty(record.ContentType))
            {
                httpContext.Response.ContentType = record.ContentType;
            }

            if (!string.IsNullOrEmpty(record.Location))
            {
                httpContext.Response.Headers.Location = record.Location;
            }

            await httpContext.Response.Body.WriteAsync(record.ResponseBody ?? []);
        }
    }
}

/// <summary>Deletes idempotency keys past their retention, on every instance (the delete is itself idempotent).</summary>
public sealed class IdempotencyCleanup(IServiceScopeFactory scopes, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
            var cutoff = clock.GetUtcNow().UtcDateTime.AddHours(-Idempotency.RetentionHours);
            try
            {
                await db.IdempotencyRecords.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(stoppingToken);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
            {
                // The schema may not exist yet (migrations off); try again next hour.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
