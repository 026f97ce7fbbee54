using ClinicTracker.Api.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Sites;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Demo;

/// <summary>What the database holds beyond what the migrations make (the default site), as seed-demo judges it.</summary>
public sealed record DemoDatabaseContent(int Patients, int StaffEntries, int AddedSites, int StockLots)
{
    /// <summary>Empty: no patient, no staff-register entry, no site but the default one, no stock. Audit rows of reads do not count.</summary>
    public bool IsEmpty => Patients == 0 && StaffEntries == 0 && AddedSites == 0 && StockLots == 0;
}

/// <summary>The two things seed-demo does to the database directly: look at what it holds, and (with --force) start it over.</summary>
public static class DemoDatabase
{
    public static async Task<DemoDatabaseContent> ContentAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        // Every site's records, not one caller's: this is the database, not a request.
        return new DemoDatabaseContent(
            await db.Patients.IgnoreQueryFilters().CountAsync(ct),
            await db.Clinicians.IgnoreQueryFilters().CountAsync(ct),
            await db.Sites.IgnoreQueryFilters().CountAsync(s => s.Id != Site.DefaultId, ct),
            await db.StockLots.IgnoreQueryFilters().CountAsync(ct));
    }

    /// <summary>
    /// Deletes the database — the SQLite file, or the PostgreSQL database — and makes it again with the migrations, so
    /// nothing of the old record survives and the new audit chain starts from its genesis. Development only: clinical
    /// records are never deleted anywhere else (domain.md §8), and no API may be running on this database meanwhile.
    /// </summary>
    public static async Task RecreateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
            var sqliteFile = db.Database.IsSqlite() ? new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource : null;
            await db.Database.EnsureDeletedAsync(ct);
            if (sqliteFile is not null)
            {
                // A write-ahead log left beside a new file of the same name would be replayed into it.
                SqliteConnection.ClearAllPools();
                File.Delete(sqliteFile + "-wal");
                File.Delete(sqliteFile + "-shm");
            }
        }

        await DatabaseSetup.MigrateAsync(services, ct);
    }
}
