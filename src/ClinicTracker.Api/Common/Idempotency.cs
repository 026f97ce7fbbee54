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
/// <param name="Claim">The key this request now holds in its transaction, or null when it sent no key.</param>
/// <param name="Immediate">The answer when the key was used before (replay, 422) or is malformed (400).</param>
public sealed record IdempotencyStart(IdempotencyRecord? Claim, IResult? Immediate);

/// <summary>
/// <c>Idempotency-Key</c> on POSTs that create clinical records (domain.md §8: a double-recorded
/// controlled-substance dose is a real harm). The key is claimed as the FIRST statement of the request's own
/// transaction and its response stored in the same transaction as the record (ADR 0013, superseding ADR
/// 0005's separate claim): a crash leaves neither claim nor record, so a retry runs the request once; a
/// committed key always carries its answer. A concurrent retry's claim (unique per user and key, on every
/// instance) waits for the first transaction: on PostgreSQL the unique index makes the second INSERT wait
/// for the first to commit or roll back, on SQLite the second transaction waits for the writer lock. It then
/// replays the stored response, or runs itself if the first rolled back. The same key with a different
/// request is a 422. Keys are kept at least <see cref="RetentionHours"/> hours.
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const int RetentionHours = 48;

    /// <summary>Declares that the operation honours Idempotency-Key; <see cref="RecordKeeping"/> does the work.</summary>
    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new IdempotentMetadata()).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    /// <summary>
    /// Claims the request's key inside <paramref name="db"/>'s open transaction, or answers from the key's
    /// earlier use. Call it before the handler writes anything.
    /// </summary>
    public static async Task<IdempotencyStart> StartAsync(HttpContext http, ClinicDbContext db, IList<object?> arguments)
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
        if (await TryClaimAsync(db, claim, http.RequestAborted))
        {
            return new IdempotencyStart(claim, null);
        }

        var first = await db.IdempotencyRecords.AsNoTracking().SingleAsync(r => r.UserName == user && r.Key == key, http.RequestAborted);
        if (first.RequestHash != hash)
        {
            return new IdempotencyStart(null, Problems.Create(StatusCodes.Status422UnprocessableEntity, "idempotency.key-reused",
                "The Idempotency-Key was used for another request.",
                "Each Idempotency-Key may be used with one request only; send a new key for a new request."));
        }

        // A committed key always carries its response: the claim and the answer commit together.
        return new IdempotencyStart(null, new StoredResponse(first));
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

    /// <summary>
    /// Claims the key again in a fresh transaction, to store a refusal (a 4xx other than 409) after the request's
    /// own transaction was rolled back with everything the handler did; false when a concurrent request with
    /// the same key committed its answer in between (that answer stands).
    /// </summary>
    public static Task<bool> ClaimAgainAsync(ClinicDbContext db, IdempotencyRecord claim) => TryClaimAsync(db, claim, CancellationToken.None);

    /// <summary>
    /// INSERT … ON CONFLICT DO NOTHING, the same SQL on SQLite (3.35+) and PostgreSQL: true when this request now
    /// holds the key. On PostgreSQL a conflicting INSERT by a transaction still open makes this one wait for it.
    /// </summary>
    private static async Task<bool> TryClaimAsync(ClinicDbContext db, IdempotencyRecord claim, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO idempotency_keys ("Id", "UserName", "Key", "RequestHash", "Completed", "CreatedAt")
            VALUES ({claim.Id}, {claim.UserName}, {claim.Key}, {claim.RequestHash}, FALSE, {claim.CreatedAt})
            ON CONFLICT ("UserName", "Key") DO NOTHING
            """, ct) == 1;

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
