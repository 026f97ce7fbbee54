using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Idempotency;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Common;

/// <summary>Marks an operation that honours the <c>Idempotency-Key</c> header (read by <see cref="RecordKeeping"/> and Swagger).</summary>
public sealed class IdempotentMetadata;

/// <summary>How an idempotent request starts: it runs under a fresh claim, or is answered at once (replay or refusal).</summary>
/// <param name="Claim">The key this request now owns, or null when it sent no key.</param>
/// <param name="Immediate">The answer when the key was used before (replay, 422, 409) or is malformed (400).</param>
public sealed record IdempotencyStart(IdempotencyRecord? Claim, IResult? Immediate);

/// <summary>
/// <c>Idempotency-Key</c> on POSTs that create clinical records (domain.md §8: a double-recorded
/// controlled-substance dose is a real harm). The first request with a key claims it in the database
/// (unique per user and key, so it holds across API instances and under concurrent retries); its response
/// is stored in the same transaction as the record and replayed to every retry with the same request.
/// The same key with a different request is a 422. Keys are kept at least <see cref="RetentionHours"/> hours.
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const int RetentionHours = 48;
    private static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(15);

    /// <summary>Declares that the operation honours Idempotency-Key; <see cref="RecordKeeping"/> does the work.</summary>
    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new IdempotentMetadata()).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    public static async Task<IdempotencyStart> StartAsync(HttpContext http, IList<object?> arguments)
    {
        var key = http.Request.Headers[Header].ToString();
        if (key.Length == 0)
        {
            return new IdempotencyStart(null, null);
        }

        if (key.Length > 255 || key.Any(c => c < 0x21 || c > 0x7e))
        {
            return new IdempotencyStart(null, Problems.Validation(Header, "Idempotency-Key must be 1–255 visible ASCII characters."));
        }

        var services = http.RequestServices;
        var user = http.User.UserName();
        var hash = RequestHash(http, arguments, services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
        var claim = IdempotencyRecord.Claim(user, key, hash, services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);

        // Its own context and transaction, committed at once: the claim is what makes a concurrent retry wait.
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        if (await db.IdempotencyRecords.AnyAsync(r => r.UserName == user && r.Key == key, http.RequestAborted))
        {
            // The usual retry: answered without provoking (and logging) a unique-index violation.
            return new IdempotencyStart(null, await AnswerRetryAsync(db, user, key, hash, http.RequestAborted));
        }

        db.IdempotencyRecords.Add(claim);
        try
        {
            await db.SaveChangesAsync(http.RequestAborted);
            return new IdempotencyStart(claim, null);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return new IdempotencyStart(null, await AnswerRetryAsync(db, user, key, hash, http.RequestAborted));
        }
    }

    /// <summary>
    /// Renders the handler's result into a buffer, stores it on the claim in the request's context (saved
    /// with the record), and returns a result that sends the same bytes.
    /// </summary>
    public static async Task<IResult> CompleteAsync(HttpContext http, ClinicDbContext db, IdempotencyRecord claim, IResult result)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await result.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        db.IdempotencyRecords.Attach(claim);
        claim.Complete(http.Response.StatusCode, http.Response.ContentType, http.Response.Headers.Location.ToString(), buffer.ToArray());
        return new BufferedResponse(claim.ResponseBody!);
    }

    /// <summary>Gives the key up inside the request's own context and transaction, so a retry runs the request again.</summary>
    public static void Release(ClinicDbContext db, IdempotencyRecord claim)
    {
        db.IdempotencyRecords.Attach(claim);
        db.IdempotencyRecords.Remove(claim);
    }

    /// <summary>Gives the key up after an exception (no transaction of the request is open any more).</summary>
    public static async Task ReleaseAsync(HttpContext http, IdempotencyRecord claim)
    {
        await using var scope = http.RequestServices.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        await db.IdempotencyRecords.Where(r => r.Id == claim.Id).ExecuteDeleteAsync(CancellationToken.None);
    }

    private static async Task<IResult> AnswerRetryAsync(ClinicDbContext db, string user, string key, string hash, CancellationToken ct)
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

    /// <summary>The first response, already rendered (status and headers are set on the live response).</summary>
    private sealed class BufferedResponse(byte[] body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => httpContext.Response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>The stored first response, replayed to a retry.</summary>
    private sealed class StoredResponse(IdempotencyRecord record) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => record.StatusCode;

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
