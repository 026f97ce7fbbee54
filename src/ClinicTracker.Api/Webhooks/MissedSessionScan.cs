using ClinicTracker.Api.Common;
using ClinicTracker.Core.Adherence;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Webhooks;

/// <summary>
/// Writes a <c>session.missed</c> outbox event for every due window (domain.md §10) of an active plan that closed
/// unattended in the last <c>Webhooks:MissedLookbackDays</c>, every <c>Webhooks:MissedScanSeconds</c>, on every
/// instance, and only while some active subscription wants the type. Exactly one event per plan and due date however
/// many instances scan: the event id is derived from both (<see cref="WebhookEvent.MissedEventId"/>), ids already
/// written are skipped, and one that another instance wrote in between is refused by the key (the batch is then read
/// again and written without it).
/// </summary>
public sealed partial class MissedSessionScan(
    IServiceScopeFactory scopes, TimeProvider clock, IOptions<WebhookOptions> options, WriterGate gate, ILogger<MissedSessionScan> log)
    : BackgroundService
{
    /// <summary>Plans read and computed per batch.</summary>
    public const int BatchSize = 200;

    /// <summary>Scans every active plan; returns the events written by this run.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using (var probe = scopes.CreateAsyncScope())
        {
            var db = probe.ServiceProvider.GetRequiredService<ClinicDbContext>();
            if (!await db.WebhookSubscriptions.AnyAsync(s => s.Active && s.EventTypes.Contains(WebhookEventTypes.SessionMissed), ct))
            {
                return 0;
            }
        }

        var written = 0;
        Guid? after = null;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
            var now = clock.GetUtcNow().UtcDateTime;
            var plans = await db.Plans.IgnoreQueryFilters().AsNoTracking()
                .Where(p => p.Status == PlanStatus.Active && (after == null || p.Id.CompareTo(after.Value) > 0))
                .OrderBy(p => p.Id).Take(BatchSize).ToListAsync(ct);
            if (plans.Count == 0)
            {
                return written;
            }

            after = plans[^1].Id;
            var ids = plans.Select(p => p.Id).ToList();
            var sessions = (await PlanAdherence.Rows(db.Sessions.IgnoreQueryFilters().Where(s => ids.Contains(s.PlanId)),
                PlanAdherence.LatestLocalDate(now)).ToListAsync(ct)).ToLookup(s => s.PlanId);
            var zones = new ZoneCache();
            var events = new List<OutboxEvent>();
            foreach (var plan in plans)
            {
                var zone = zones[plan.TimeZone];
                var today = ClinicTime.LocalDate(now, zone);
                // The persistence gap does not change which due dates are missed: the default is passed.
                var input = PlanAdherence.Input(plan, sessions[plan.Id], today, new AdherenceOptions().PersistenceGapDays, zone);
                var report = AdherenceCalculator.Calculate(input);
                events.AddRange(MissedWindows.Find(plan, input, report, zone, today.AddDays(-Settings.MissedLookbackDays))
                    .Select(m => WebhookEvent.SessionMissed(m, now)));
            }

            written += await WriteNewAsync(db, events, ct);
            if (plans.Count < BatchSize)
            {
                return written;
            }
        }
    }

    private WebhookOptions Settings => options.Value;

    /// <summary>Writes the events whose ids are not in the outbox yet, in one transaction; returns how many.</summary>
    private async Task<int> WriteNewAsync(ClinicDbContext db, List<OutboxEvent> events, CancellationToken ct)
    {
        for (var round = 0; events.Count > 0; round++)
        {
            var ids = events.Select(e => e.Id).ToList();
            var existing = (await db.OutboxEvents.AsNoTracking().Where(e => ids.Contains(e.Id)).Select(e => e.Id).ToListAsync(ct)).ToHashSet();
            var fresh = events.Where(e => !existing.Contains(e.Id)).ToList();
            if (fresh.Count == 0)
            {
                return 0;
            }

            try
            {
                using (await gate.EnterAsync(db, ct))
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(ct);
                    db.OutboxEvents.AddRange(fresh);
                    await db.SaveChangesAsync(ct);
                    await transaction.CommitAsync(ct);
                }

                return fresh.Count;
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && round < 3)
            {
                // Another instance wrote some of them between the read and the insert: read again, write the rest.
                db.ChangeTracker.Clear();
            }
        }

        return 0;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Polling.RunAsync(RunOnceAsync, TimeSpan.FromSeconds(Settings.MissedScanSeconds), clock,
            e => LogPassFailed(log, e.GetType().Name, Settings.MissedScanSeconds), stoppingToken,
            found =>
            {
                if (found > 0)
                {
                    LogFound(log, found);
                }
            });

    [LoggerMessage(Level = LogLevel.Information, Message = "Found {Count} due windows that closed unattended; session.missed events written.")]
    private static partial void LogFound(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The missed-window scan failed with {ExceptionType}; retrying in {Seconds} s.")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType, int seconds);
}
