using System.Data.Common;
using ClinicTracker.Api.Common;
using ClinicTracker.Core.Adherence;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Sites;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Adherence;

/// <summary>
/// Refreshes, on every instance, the adherence summaries whose figures the passing of time changed (ADR 0016):
/// every <see cref="AdherenceOptions.SummaryRefreshSeconds"/>, batch after batch until none is stale. Safe with
/// many instances: each row is written only over the version read before its sessions were, so two instances
/// refreshing one row write it once and a concurrent write's newer figures are never overwritten; a batch is one
/// transaction (on SQLite, one turn of the writer gate).
/// </summary>
public sealed class AdherenceSummaryRefresh(
    IServiceScopeFactory scopes, TimeProvider clock, IOptions<AdherenceOptions> options, WriterGate gate,
    ILogger<AdherenceSummaryRefresh> log) : BackgroundService
{
    /// <summary>Plans per transaction: short enough not to hold the SQLite writer long.</summary>
    public const int BatchSize = 200;

    /// <summary>Refreshes every summary stale now; returns how many rows were looked at.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var total = 0;
        // A bound on the batches of one run: rows a write keeps making stale again cannot keep the loop going.
        for (var batch = 0; batch < 1000; batch++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
            db.ScopeTo(SiteScope.Everything);
            int looked;
            using (await gate.EnterAsync(db, ct))
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                looked = await AdherenceSummaries.RefreshStaleAsync(db, clock.GetUtcNow().UtcDateTime, BatchSize, ct);
                await transaction.CommitAsync(ct);
            }

            total += looked;
            if (looked < BatchSize)
            {
                break;
            }
        }

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Once at start (the placeholders of an upgrade, a night the instance was down), then on the interval.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SummaryRefreshSeconds), clock);
        do
        {
            try
            {
                if (await RunOnceAsync(stoppingToken) is var refreshed and > 0)
                {
                    log.LogInformation("Refreshed {Count} adherence summaries made stale by the date.", refreshed);
                }
            }
            catch (Exception e) when (e is DbException or InvalidOperationException)
            {
                // The database is unreachable or not migrated yet: the report computes stale plans itself; next tick.
                log.LogWarning(e, "Adherence summary refresh failed; retrying in {Seconds} s.", options.Value.SummaryRefreshSeconds);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
