using System.Data;
using ClinicTracker.Core.Auditing;
using ClinicTracker.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ClinicTracker.Api.Auditing;

/// <summary>
/// The provider-specific SQL of the audit chains, and nothing else (ADR 0013): which head an append takes,
/// and a consistent snapshot for the verifier. Everything else about the trail is provider-neutral.
/// </summary>
public static class AuditChainStore
{
    /// <summary>
    /// Takes one chain head for the rest of the caller's open transaction and returns it tracked: the caller
    /// appends after it (<see cref="AuditChainHead.Append"/>) and saves, which advances the head in the same
    /// transaction as its rows.
    /// </summary>
    public static async Task<AuditChainHead> ClaimHeadAsync(ClinicDbContext db, CancellationToken ct)
    {
        var start = Random.Shared.Next(AuditChainHead.Count);
        if (db.Database.IsNpgsql())
        {
            // Any head no other transaction holds, searched from a random chain so writers spread out; the row
            // lock lasts until commit, so no two transactions ever append to one chain at once.
            var free = await db.AuditChainHeads
                .FromSql($"""
                    SELECT * FROM audit_chain_heads
                    ORDER BY ("Chain" - {start} + {AuditChainHead.Count}) % {AuditChainHead.Count}
                    LIMIT 1 FOR UPDATE SKIP LOCKED
                    """)
                .ToListAsync(ct);
            if (free.Count == 1)
            {
                return free[0];
            }

            // Every chain is held (more concurrent appends than chains): wait for one.
            return (await db.AuditChainHeads.FromSql($"""SELECT * FROM audit_chain_heads WHERE "Chain" = {start} FOR UPDATE""")
                .ToListAsync(ct)).Single();
        }

        // SQLite: the transaction is BEGIN IMMEDIATE, so it already holds the file's only writer lock and no
        // other append can read this head before it commits.
        return await db.AuditChainHeads.SingleAsync(h => h.Chain == start, ct);
    }

    /// <summary>
    /// A read-only transaction that sees one moment of the trail — heads and rows as they were together —
    /// while appends go on (PostgreSQL REPEATABLE READ; a deferred SQLite transaction reads one WAL snapshot
    /// and takes no writer lock).
    /// </summary>
    public static async Task<IDbContextTransaction> BeginSnapshotAsync(ClinicDbContext db, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        }

        await db.Database.OpenConnectionAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var transaction = connection.BeginTransaction(deferred: true);
        return await db.Database.UseTransactionAsync(transaction, ct)
            ?? throw new InvalidOperationException("The snapshot transaction was not taken up.");
    }
}
