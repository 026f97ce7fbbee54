using ClinicTracker.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Common;

/// <summary>
/// On SQLite, this process's write transactions take turns here, in arrival order, before <c>BEGIN IMMEDIATE</c>
/// (ADR 0013). SQLite has one writer per file, and a transaction that finds the lock taken does not queue:
/// Microsoft.Data.Sqlite retries it, sleeping 150 ms between attempts, so under load the lock sits idle while
/// writers sleep (about 250 writes/s with a p99 near 2 s at 32 connections). Queueing in memory hands the lock
/// on at once. SQLite runs one API instance per file (ADR 0002), so every writer of the file passes this gate;
/// the busy timeout still covers any other process (a migration run by hand). On PostgreSQL there is no gate.
/// </summary>
public sealed class WriterGate
{
    private readonly SemaphoreSlim turn = new(1, 1);

    /// <summary>Waits for this write's turn on SQLite (at once elsewhere); dispose the result when its transaction ends.</summary>
    public async ValueTask<Turn> EnterAsync(ClinicDbContext db, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            return default;
        }

        await turn.WaitAsync(ct);
        return new Turn(turn);
    }

    /// <summary>A write's turn; disposing it lets the next write in.</summary>
    public readonly struct Turn(SemaphoreSlim? held) : IDisposable
    {
        public void Dispose() => held?.Release();
    }
}
