using System.Threading.Channels;
using ClinicTracker.Api.Common;
using ClinicTracker.Api.Telemetry;
using ClinicTracker.Core.Auditing;
using ClinicTracker.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Auditing;

/// <summary>The audit row of a request could not be written, so the request is not answered with data (503).</summary>
public sealed class AuditUnavailableException(Exception inner)
    : Exception("The audit trail could not be written.", inner);

/// <summary>
/// Group commit for the audit rows of requests that change nothing (reads, idempotent replays, refusals;
/// ADR 0013): each request hands its row over and awaits it; a writer takes every row waiting at that moment
/// and appends them to one chain in ONE transaction, then releases all those requests together. A read is
/// therefore answered only after its row is committed, but concurrent reads share a commit instead of
/// queueing for one each. Rows live in memory only while their requests wait — nothing another instance
/// needs — and a row that cannot be written fails its request.
/// </summary>
public sealed partial class AuditBatcher(IServiceScopeFactory scopes, WriterGate gate, ILogger<AuditBatcher> logger) : BackgroundService
{
    /// <summary>Rows per transaction at most; a burst larger than this is split over several commits.</summary>
    private const int MaxBatch = 256;

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>();

    /// <summary>Appends the row and completes when it is committed; throws <see cref="AuditUnavailableException"/> if it cannot be.</summary>
    public Task AppendAsync(AuditFacts facts)
    {
        var pending = new Pending(facts, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!queue.Writer.TryWrite(pending))
        {
            // The writers have stopped (the host is shutting down while requests still finish): write it alone.
            return WriteAsync([pending]);
        }

        return pending.Done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int writers;
        await using (var scope = scopes.CreateAsyncScope())
        {
            // SQLite has one writer for the whole file: more than one batch writer would only queue on its lock.
            // PostgreSQL commits batches on different chains in parallel, overlapping their WAL flushes.
            writers = scope.ServiceProvider.GetRequiredService<ClinicDbContext>().Database.IsNpgsql() ? 4 : 1;
        }

        try
        {
            await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => WriteLoopAsync(stoppingToken)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: rows still queued are written below, later ones alone (AppendAsync).
        }

        queue.Writer.TryComplete();
        var rest = new List<Pending>();
        while (queue.Reader.TryRead(out var pending))
        {
            rest.Add(pending);
        }

        if (rest.Count > 0)
        {
            await WriteAsync(rest);
        }
    }

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            if (batch.Count > 0)
            {
                await WriteAsync(batch);
            }
        }
    }

    /// <summary>Appends the rows to one chain in one transaction, then releases their requests (or fails them all).</summary>
    private async Task WriteAsync(IReadOnlyList<Pending> batch)
    {
        // The batch serves many requests, so its span is the writer loop's own root span, in none of their traces
        // (only a row written alone while the host stops lands in its request's trace).
        using var activity = ClinicTelemetry.Source.StartActivity("audit.batch append");
        activity?.SetTag("clinictracker.audit.batch_size", batch.Count);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
            using var turn = await gate.EnterAsync(db, CancellationToken.None);
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            var head = await AuditChainStore.ClaimHeadAsync(db, CancellationToken.None);
            foreach (var pending in batch)
            {
                db.AuditEntries.Add(head.Append(pending.Facts));
            }

            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            ClinicTelemetry.AuditBatchWritten(batch.Count);
        }
        catch (Exception e)
        {
            // The exception type only: data-layer messages can quote values.
            LogBatchFailed(logger, batch.Count, e.GetType().FullName);
            activity?.SetTag("error.type", e.GetType().FullName);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
            var failure = new AuditUnavailableException(e);
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(failure);
            }

            return;
        }

        foreach (var pending in batch)
        {
            pending.Done.TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not append {Count} audit rows ({ExceptionType}); their requests fail with 503.")]
    private static partial void LogBatchFailed(ILogger logger, int count, string? exceptionType);

    private sealed record Pending(AuditFacts Facts, TaskCompletionSource Done);
}
