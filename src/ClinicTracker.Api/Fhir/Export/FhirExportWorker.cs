using System.Data.Common;
using ClinicTracker.Api.Auditing;
using ClinicTracker.Api.Common;
using ClinicTracker.Core.Auditing;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Exports;
using ClinicTracker.Fhir;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Fhir.Export;

/// <summary>An instance's hold on a running export: the job and the version it may write over.</summary>
public sealed class ExportClaim(Guid jobId, long version)
{
    public Guid JobId { get; } = jobId;

    /// <summary>The job's version this instance wrote last; the next batch is written only over it.</summary>
    public long Version { get; internal set; } = version;
}

/// <summary>What one batch did.</summary>
public enum ExportBatchOutcome
{
    /// <summary>A batch was written; more patients follow.</summary>
    Progressed,

    /// <summary>The last batch was written: the job is complete.</summary>
    Finished,

    /// <summary>The owner cancelled the job: nothing was written.</summary>
    Cancelled,

    /// <summary>Another instance holds the job now (this one's lease ran out): nothing was written.</summary>
    LeaseLost,

    /// <summary>The batch failed and the job is marked failed.</summary>
    Failed,

    /// <summary>The database could not be reached or refused for a passing reason: nothing was written; the job resumes once its lease runs out.</summary>
    Interrupted,
}

/// <summary>
/// Runs bulk FHIR exports (ADR 0019) on every instance: every <c>Fhir:Export:PollSeconds</c> it removes expired jobs and
/// their files, then claims a queued job, or a running one whose lease ran out, and writes it batch by batch. Safe
/// with any number of instances: a claim and every batch are written only over the job's version the writer holds, so
/// two instances never both write a batch, and one that lost its lease writes nothing more. A batch (its files, the
/// job's new position and lease, and one audit row per exported patient) is one transaction; on SQLite one turn of the
/// writer gate, with the reading and compressing done before it.
/// </summary>
public sealed partial class FhirExportWorker(
    IServiceScopeFactory scopes, TimeProvider clock, IOptions<FhirOptions> options, WriterGate gate, FhirMapper mapper,
    ILogger<FhirExportWorker> log) : BackgroundService
{
    /// <summary>How long a claim or a batch holds the job: another instance takes it over only after this much silence.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>A job claimed this many times without finishing (each claim after a crash or an interruption) is failed.</summary>
    public const int MaxClaims = 10;

    /// <summary>The audit action of each exported patient's row.</summary>
    public const string AuditAction = "FhirExportPatient";

    private static readonly string Instance = $"{Environment.MachineName}/{Environment.ProcessId}";

    private FhirExportOptions Settings => options.Value.Export;

    /// <summary>Removes expired jobs, then claims and runs jobs until none is left to claim; returns the batches written.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await RemoveExpiredAsync(ct);
        var batches = 0;
        // A bound on the jobs of one run, so one pass ends even while clients keep kicking off exports.
        for (var jobs = 0; jobs < 100 && await ClaimAsync(ct) is { } claim; jobs++)
        {
            ExportBatchOutcome outcome;
            do
            {
                outcome = await RunBatchAsync(claim, ct);
                batches += outcome is ExportBatchOutcome.Progressed or ExportBatchOutcome.Finished ? 1 : 0;
            }
            while (outcome == ExportBatchOutcome.Progressed);
        }

        return batches;
    }

    /// <summary>Claims the oldest queued job, or a running one whose lease ran out; null when there is none.</summary>
    public async Task<ExportClaim?> ClaimAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var candidates = await db.ExportJobs.AsNoTracking()
            .Where(j => j.Status == ExportStatus.Queued || (j.Status == ExportStatus.Running && j.LeaseExpiresAt < now))
            .OrderBy(j => j.TransactionTime).ThenBy(j => j.Id)
            .Select(j => new { j.Id, j.Version, j.Claims }).Take(10).ToListAsync(ct);
        foreach (var candidate in candidates)
        {
            if (candidate.Claims >= MaxClaims)
            {
                await FailAsync(candidate.Id, candidate.Version, $"The export was started {candidate.Claims} times without finishing.", ct);
                continue;
            }

            int claimed;
            using (await gate.EnterAsync(db, ct))
            {
                claimed = await db.ExportJobs.Where(j => j.Id == candidate.Id && j.Version == candidate.Version)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(j => j.Status, ExportStatus.Running)
                        .SetProperty(j => j.Version, candidate.Version + 1)
                        .SetProperty(j => j.Claims, candidate.Claims + 1)
                        .SetProperty(j => j.LeaseOwner, Instance)
                        .SetProperty(j => j.LeaseExpiresAt, now + Lease)
                        .SetProperty(j => j.StartedAt, j => j.StartedAt ?? now), ct);
            }

            // 0: another instance claimed it between the read and the update (its version moved on).
            if (claimed == 1)
            {
                return new ExportClaim(candidate.Id, candidate.Version + 1);
            }
        }

        return null;
    }

    /// <summary>
    /// Writes the job's next batch of <c>Fhir:Export:PatientsPerBatch</c> patients (keyset on the patient id, through the
    /// owner's site scope at kick-off) in one transaction, over the claim's version; the last batch completes the job.
    /// </summary>
    public async Task<ExportBatchOutcome> RunBatchAsync(ExportClaim claim, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        // Between batches: a cancellation (or another instance's claim) moved the version on.
        var job = await db.ExportJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == claim.JobId, ct);
        if (job is null || job.Status == ExportStatus.Cancelled)
        {
            return ExportBatchOutcome.Cancelled;
        }

        if (job.Version != claim.Version || job.Status != ExportStatus.Running)
        {
            return ExportBatchOutcome.LeaseLost;
        }

        try
        {
            return await WriteBatchAsync(db, job, claim, ct);
        }
        catch (Exception e) when (e is DbException or DbUpdateException or TimeoutException)
        {
            // A passing failure (the database unreachable, a lock timeout): nothing was committed, and the job is taken
            // up again when its lease runs out, by this instance or another. MaxClaims bounds how often.
            LogInterrupted(log, job.Id, e.GetType().Name);
            return ExportBatchOutcome.Interrupted;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Ids and the exception's type only: its message may quote the data it failed on.
            LogFailed(log, job.Id, job.BatchesDone, e.GetType().FullName ?? e.GetType().Name);
            var after = job.Position is { } position ? $"after patient {position}" : "at its first patient";
            await FailAsync(job.Id, claim.Version,
                $"Batch {job.BatchesDone} ({after}) failed: {e.GetType().Name}. Kick off a new export; if it fails again, give the administrator export {job.Id}.", ct);
            return ExportBatchOutcome.Failed;
        }
    }

    private async Task<ExportBatchOutcome> WriteBatchAsync(ClinicDbContext db, ExportJob job, ExportClaim claim, CancellationToken ct)
    {
        db.ScopeTo(job.Scope);
        var group = job.Group is null ? ExportGroup.Clinic
            : ExportGroup.Find(job.Group) ?? throw new InvalidOperationException($"Export {job.Id} names a group this version does not know.");
        var size = Settings.PatientsPerBatch;

        // The batch's records as of one moment (a read-only snapshot), read and compressed before the write
        // transaction so SQLite's single writer is held only for the inserts.
        List<Guid> ids;
        IReadOnlyList<PatientRecord> records;
        await using (var snapshot = await AuditChainStore.BeginSnapshotAsync(db, ct))
        {
            ids = await group.NextAsync(db, job.Position, size, ct);
            records = await PatientRecord.LoadAsync(db, ids, ct);
            await snapshot.CommitAsync(ct);
        }

        var batch = NdjsonBatch.Write(mapper, records, job.TypeSet, job.Since is { } since ? new DateTimeOffset(since, TimeSpan.Zero) : null);
        var last = ids.Count < size;
        var now = clock.GetUtcNow().UtcDateTime;
        using (await gate.EnterAsync(db, ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // First the job, over the claim's version: a cancellation or another instance's claim since then leaves
            // nothing to update, and this batch is rolled back before it wrote anything.
            var moved = await db.ExportJobs.Where(j => j.Id == job.Id && j.Version == claim.Version && j.Status == ExportStatus.Running)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Version, claim.Version + 1)
                    .SetProperty(j => j.Position, ids.Count > 0 ? ids[^1] : job.Position)
                    .SetProperty(j => j.PatientsDone, job.PatientsDone + ids.Count)
                    .SetProperty(j => j.BatchesDone, job.BatchesDone + 1)
                    .SetProperty(j => j.LeaseExpiresAt, last ? null : now + Lease)
                    .SetProperty(j => j.Status, last ? ExportStatus.Completed : ExportStatus.Running)
                    .SetProperty(j => j.FinishedAt, last ? now : null)
                    .SetProperty(j => j.ExpiresAt, last ? now.AddHours(Settings.RetentionHours) : null), ct);
            if (moved == 0)
            {
                await transaction.RollbackAsync(ct);
                return await db.ExportJobs.AnyAsync(j => j.Id == job.Id && j.Status == ExportStatus.Cancelled, ct)
                    ? ExportBatchOutcome.Cancelled : ExportBatchOutcome.LeaseLost;
            }

            foreach (var file in batch.Files)
            {
                db.ExportFiles.Add(ExportFile.Create(job.Id, job.BatchesDone, file.ResourceType, file.Count, file.UncompressedBytes, file.Gzip, now));
            }

            if (batch.ExportedPatients.Count > 0)
            {
                // issue 12 item 4: an export is a read of each patient's record, audited like one (ids only), on the
                // chain (ADR 0013) in the batch's own transaction: no exported patient goes unaudited.
                var head = await AuditChainStore.ClaimHeadAsync(db, ct);
                foreach (var patient in batch.ExportedPatients)
                {
                    db.AuditEntries.Add(head.Append(new AuditFacts(
                        now, job.Owner, job.OwnerRoles, AuditAction, HttpMethods.Get, job.KickOffRoute, "fhir", job.Id, patient.Id,
                        StatusCodes.Status200OK, job.Id.ToString(), patient.HomeSiteId)));
                }
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        claim.Version++;
        return last ? ExportBatchOutcome.Finished : ExportBatchOutcome.Progressed;
    }

    /// <summary>Marks the job failed over <paramref name="version"/>; its error is kept until it expires.</summary>
    private async Task FailAsync(Guid jobId, long version, string error, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        using (await gate.EnterAsync(db, ct))
        {
            await db.ExportJobs.Where(j => j.Id == jobId && j.Version == version)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Status, ExportStatus.Failed)
                    .SetProperty(j => j.Version, version + 1)
                    .SetProperty(j => j.Error, error)
                    .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null)
                    .SetProperty(j => j.FinishedAt, now)
                    .SetProperty(j => j.ExpiresAt, now.AddHours(Settings.RetentionHours)), ct);
        }
    }

    /// <summary>Removes the jobs whose time is up (completed or failed ones after the retention, cancelled ones at once) and their files.</summary>
    public async Task<int> RemoveExpiredAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        if (!await db.ExportJobs.AnyAsync(j => j.ExpiresAt <= now, ct))
        {
            return 0;
        }

        using (await gate.EnterAsync(db, ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // The files first: the cascade of the foreign key is not relied on (a SQLite connection string given by
            // hand may leave foreign keys off).
            await db.ExportFiles.Where(f => db.ExportJobs.Any(j => j.Id == f.JobId && j.ExpiresAt <= now)).ExecuteDeleteAsync(ct);
            var removed = await db.ExportJobs.Where(j => j.ExpiresAt <= now).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
            return removed;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Polling.RunAsync(RunOnceAsync, TimeSpan.FromSeconds(Settings.PollSeconds), clock,
            e => LogPassFailed(log, e.GetType().Name, Settings.PollSeconds), stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk export {JobId} was interrupted by {ExceptionType}; it resumes when its lease runs out.")]
    private static partial void LogInterrupted(ILogger logger, Guid jobId, string exceptionType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk export {JobId} failed in batch {Batch} with {ExceptionType}.")]
    private static partial void LogFailed(ILogger logger, Guid jobId, int batch, string exceptionType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A bulk export pass failed with {ExceptionType}; retrying in {Seconds} s.")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType, int seconds);
}
