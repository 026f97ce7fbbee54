using ClinicTracker.Api.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Webhooks;

/// <summary>A delivery this instance claimed: the version it may write its attempt over.</summary>
public sealed record DeliveryClaim(Guid DeliveryId, long Version);

/// <summary>
/// Delivers webhooks (ADR 0021) on every instance, every <c>Webhooks:PollSeconds</c>: fans each new outbox event out
/// to the subscriptions that want it (once: the event is marked dispatched over "not dispatched yet", and the pair is
/// a unique key), then claims the deliveries that are due and sends them. Safe with any number of instances: a claim
/// is written over the delivery's version and sets a lease, so two instances never send the same attempt at once; an
/// attempt's outcome is written only over the claimed version. An instance that dies mid-send leaves its lease to run
/// out, and the attempt is made again (at-least-once: receivers de-duplicate by <c>webhook-id</c>).
/// </summary>
public sealed partial class WebhookDeliveryWorker(
    IServiceScopeFactory scopes, TimeProvider clock, IOptions<WebhookOptions> options, WriterGate gate, WebhookSender sender,
    ILogger<WebhookDeliveryWorker> log) : BackgroundService
{
    /// <summary>Events fanned out per transaction.</summary>
    public const int DispatchBatch = 100;

    // Per worker, not per process: two hosts in one test process are two instances too.
    private readonly string instance = InstanceName();

    private WebhookOptions Settings => options.Value;

    /// <summary>How long a claim holds a delivery: the attempt's timeout and a margin, so a live sender never loses it mid-send.</summary>
    public TimeSpan Lease => Settings.Timeout + TimeSpan.FromSeconds(60);

    /// <summary>Dispatches every new event, then sends every due delivery until none is left; returns the attempts made.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        // Bounds on one pass, so it ends even while events keep coming.
        for (var i = 0; i < 100 && await DispatchAsync(ct) == DispatchBatch; i++)
        {
        }

        var attempts = 0;
        for (var i = 0; i < 100; i++)
        {
            var claims = await ClaimAsync(ct);
            await Parallel.ForEachAsync(claims, new ParallelOptions { MaxDegreeOfParallelism = Settings.Concurrency, CancellationToken = ct },
                async (claim, token) => await AttemptAsync(claim, token));
            attempts += claims.Count;
            if (claims.Count < Settings.BatchSize)
            {
                break;
            }
        }

        return attempts;
    }

    /// <summary>Creates the deliveries of up to <see cref="DispatchBatch"/> new events in one transaction; returns the events looked at.</summary>
    public async Task<int> DispatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var events = await db.OutboxEvents.AsNoTracking().Where(e => e.DispatchedAt == null).OrderBy(e => e.Id).Take(DispatchBatch).ToListAsync(ct);
        if (events.Count == 0)
        {
            return 0;
        }

        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Active).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        using (await gate.EnterAsync(db, ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            foreach (var e in events)
            {
                // Only over "not dispatched": another instance dispatching the same event waits for this row's lock
                // (PostgreSQL) or the writer (SQLite), then finds it dispatched and creates nothing.
                var mine = await db.OutboxEvents.Where(x => x.Id == e.Id && x.DispatchedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.DispatchedAt, now), ct);
                if (mine == 1)
                {
                    foreach (var subscription in subscriptions.Where(s => s.Wants(e)))
                    {
                        db.WebhookDeliveries.Add(WebhookDelivery.For(subscription.Id, e, now));
                    }
                }
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        return events.Count;
    }

    /// <summary>Claims up to <c>Webhooks:BatchSize</c> deliveries that are due and not held by a live lease.</summary>
    public async Task<IReadOnlyList<DeliveryClaim>> ClaimAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var candidates = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseExpiresAt == null || d.LeaseExpiresAt < now))
            .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id).Take(Settings.BatchSize)
            .Select(d => new { d.Id, d.Version }).ToListAsync(ct);
        var claims = new List<DeliveryClaim>(candidates.Count);
        foreach (var candidate in candidates)
        {
            int claimed;
            using (await gate.EnterAsync(db, ct))
            {
                claimed = await db.WebhookDeliveries.Where(d => d.Id == candidate.Id && d.Version == candidate.Version)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(d => d.Version, candidate.Version + 1)
                        .SetProperty(d => d.LeaseOwner, instance)
                        .SetProperty(d => d.LeaseExpiresAt, now + Lease), ct);
            }

            // 0: another instance claimed it (or an admin redelivered it) between the read and the update.
            if (claimed == 1)
            {
                claims.Add(new DeliveryClaim(candidate.Id, candidate.Version + 1));
            }
        }

        return claims;
    }

    /// <summary>Makes the claimed delivery's next attempt and writes its outcome over the claim; false when the claim was lost meanwhile.</summary>
    public async Task<bool> AttemptAsync(DeliveryClaim claim, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var delivery = await db.WebhookDeliveries.AsNoTracking().FirstAsync(d => d.Id == claim.DeliveryId, ct);
        if (delivery.Version != claim.Version)
        {
            // The lease ran out before this attempt began (a paused or stalled instance) and another instance took the
            // delivery over, or an admin redelivered it: sending now would only duplicate that one's attempt.
            LogLeaseLost(log, claim.DeliveryId);
            return false;
        }

        var subscription = await db.WebhookSubscriptions.AsNoTracking().FirstAsync(s => s.Id == delivery.SubscriptionId, ct);
        var attemptedAt = clock.GetUtcNow().UtcDateTime;
        WebhookAttemptResult? result = null;
        if (subscription.Active)
        {
            var payload = await db.OutboxEvents.AsNoTracking().Where(e => e.Id == delivery.EventId).Select(e => e.Payload).FirstAsync(ct);
            result = await sender.SendAsync(subscription.Url, subscription.Secret, delivery.EventId, payload, ct);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var number = delivery.Attempts + (result is null ? 0 : 1);
        // A deactivated subscription's pending deliveries fail without an attempt; an admin may redeliver them later.
        var retryIn = result is null or { Succeeded: true } ? null
            : WebhookBackoff.DelayAfter(number - delivery.RoundStartedAfter, Settings.MaxAttempts, Settings.RetryBase, Settings.RetryMax);
        var status = result is { Succeeded: true } ? WebhookDeliveryStatus.Delivered
            : retryIn is null ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending;
        var error = result is null ? "subscription-inactive" : result.Error;
        using (await gate.EnterAsync(db, ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var written = await db.WebhookDeliveries.Where(d => d.Id == claim.DeliveryId && d.Version == claim.Version)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Version, claim.Version + 1)
                    .SetProperty(d => d.Attempts, number)
                    .SetProperty(d => d.Status, status)
                    .SetProperty(d => d.NextAttemptAt, retryIn is { } wait ? now + wait : null)
                    .SetProperty(d => d.LeaseOwner, (string?)null)
                    .SetProperty(d => d.LeaseExpiresAt, (DateTime?)null)
                    .SetProperty(d => d.LastAttemptAt, result is null ? delivery.LastAttemptAt : attemptedAt)
                    .SetProperty(d => d.LastStatusCode, result is null ? delivery.LastStatusCode : result.StatusCode)
                    .SetProperty(d => d.LastError, error)
                    .SetProperty(d => d.DeliveredAt, status == WebhookDeliveryStatus.Delivered ? now : null), ct);
            if (written == 0)
            {
                // The lease ran out and another instance took the delivery over: its attempt is the one on record.
                await transaction.RollbackAsync(ct);
                LogLeaseLost(log, claim.DeliveryId);
                return false;
            }

            if (result is not null)
            {
                db.WebhookAttempts.Add(WebhookAttempt.Record(claim.DeliveryId, number, attemptedAt, result.DurationMs, result.StatusCode, result.Error));
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        if (error is not null)
        {
            LogAttemptFailed(log, claim.DeliveryId, delivery.SubscriptionId, number, error, status == WebhookDeliveryStatus.Failed);
        }

        return true;
    }

    private static string InstanceName()
    {
        var name = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
        return name.Length <= 200 ? name : name[^200..];
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Polling.RunAsync(RunOnceAsync, TimeSpan.FromSeconds(Settings.PollSeconds), clock,
            e => LogPassFailed(log, e.GetType().Name, Settings.PollSeconds), stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to subscription {SubscriptionId}: attempt {Attempt} failed ({Error}); gave up: {GaveUp}.")]
    private static partial void LogAttemptFailed(ILogger logger, Guid deliveryId, Guid subscriptionId, int attempt, string error, bool gaveUp);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId}: the lease ran out during the attempt; another instance holds it.")]
    private static partial void LogLeaseLost(ILogger logger, Guid deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook delivery pass failed with {ExceptionType}; retrying in {Seconds} s.")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType, int seconds);
}
