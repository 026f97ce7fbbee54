using ClinicTracker.Core.Data;
using ClinicTracker.Migrations.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ClinicTracker.Api.Common;

/// <summary>The <c>Database</c> configuration section (docs/operations.md).</summary>
public sealed class DatabaseOptions
{
    /// <summary>Folder of the embedded SQLite file, relative to the content root unless absolute.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>File name of the embedded SQLite database inside <see cref="DataDirectory"/>.</summary>
    public string FileName { get; set; } = "clinictracker.db";

    /// <summary>Apply pending migrations when the API starts (the embedded default); admins may turn it off and run <c>-- migrate</c>.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Seconds a command waits for a lock held by another writer before failing (SQLite busy timeout).</summary>
    public int BusyTimeoutSeconds { get; set; } = 30;
}

public static class DatabaseSetup
{
    public static IServiceCollection AddClinicDatabase(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration("Database");
        services.AddDbContext<ClinicDbContext>((sp, options) =>
        {
            // Resolved when the first context is made, so test hosts and environment overrides are all applied.
            var configuration = sp.GetRequiredService<IConfiguration>();
            var connectionString = configuration.GetConnectionString("ClinicTracker")
                ?? SqliteConnectionString(configuration, sp.GetRequiredService<IHostEnvironment>());
            options.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly.Name));
            // Interceptors registered in DI (diagnostics, tests that inspect the SQL) join every context.
            options.AddInterceptors(sp.GetServices<IInterceptor>());
        });
        return services;
    }

    /// <summary>Applies pending migrations and switches the SQLite file to WAL so readers never block the writer.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            // WAL is persistent in the file; setting it again is a no-op.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }

    private static string SqliteConnectionString(IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        var directory = Path.GetFullPath(options.DataDirectory, environment.ContentRootPath);
        Directory.CreateDirectory(directory);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, options.FileName),
            // Microsoft.Data.Sqlite retries a busy database until the command timeout: concurrent writers wait.
            DefaultTimeout = options.BusyTimeoutSeconds,
            Pooling = true,
            ForeignKeys = true,
        }.ToString();
    }
}
