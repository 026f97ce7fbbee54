using ClinicTracker.Core.Data;
using ClinicTracker.Core.Patients;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sites;
using ClinicTracker.Migrations.Postgres;
using ClinicTracker.Migrations.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ClinicTracker.Api.Common;

/// <summary>The database engines ClinicTracker runs on (docs/operations.md, "Choosing a database").</summary>
public enum DatabaseProvider
{
    /// <summary>The embedded default: one file, nothing to install, one API instance.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: clinic groups, several API instances behind a load balancer.</summary>
    Postgres,
}

/// <summary>The <c>Database</c> configuration section (docs/operations.md).</summary>
public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (default) or <c>postgres</c>; PostgreSQL needs <c>ConnectionStrings:Clinic</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

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
    /// <summary>The connection string's name: <c>ConnectionStrings:Clinic</c> (or <c>ConnectionStrings__Clinic</c>).</summary>
    public const string ConnectionStringName = "Clinic";

    public static IServiceCollection AddClinicDatabase(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration("Database");
        services.AddDbContext<ClinicDbContext>((sp, options) =>
        {
            // Resolved when the first context is made, so test hosts and environment overrides are all applied.
            var configuration = sp.GetRequiredService<IConfiguration>();
            var settings = Settings(configuration);
            var connectionString = configuration.GetConnectionString(ConnectionStringName);
            switch (settings.Provider)
            {
                case DatabaseProvider.Postgres:
                    // No connection string at design time (`dotnet ef migrations add`) is fine; at run time
                    // CheckConfiguration refuses to start without one.
                    options.UseNpgsql(WithPostgresDefaults(connectionString), npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly.Name));
                    break;
                default:
                    options.UseSqlite(connectionString ?? SqliteConnectionString(settings, sp.GetRequiredService<IHostEnvironment>()),
                        sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly.Name));
                    break;
            }

            // Interceptors registered in DI (diagnostics, tests that inspect the SQL) join every context.
            options.AddInterceptors(sp.GetServices<IInterceptor>());
        });

        // Heavy reads may go to a replica (ConnectionStrings:ClinicReadOnly; ADR 0017); without one they stay here.
        services.AddSingleton(ReadReplica.Create);
        services.AddScoped<ReportingDatabase>();
        return services;
    }

    /// <summary>
    /// Npgsql prepares the statements a connection runs most often once it is told how many to keep (Max Auto
    /// Prepare, off by default): the API runs a few dozen statements over and over, and PostgreSQL then skips their
    /// parse and plan (docs/performance.md, issue 11). A value in the connection string wins.
    /// </summary>
    public static string? WithPostgresDefaults(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!builder.ContainsKey("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        return builder.ConnectionString;
    }

    /// <summary>Refuses to start on a configuration that cannot work, naming the setting (never the password).</summary>
    public static void CheckConfiguration(IConfiguration configuration)
    {
        DatabaseOptions settings;
        try
        {
            settings = Settings(configuration);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException("Database:Provider must be \"sqlite\" or \"postgres\".", e);
        }

        if (configuration[DefaultSiteTimeZoneKey] is { Length: > 0 } zone && !ClinicTime.IsKnownZone(zone))
        {
            throw new InvalidOperationException($"{DefaultSiteTimeZoneKey} must be an IANA time zone id (e.g. America/Chicago), not \"{zone}\".");
        }

        if (settings.Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName)))
        {
            throw new InvalidOperationException(
                $"Database:Provider is postgres but ConnectionStrings:{ConnectionStringName} is not set " +
                $"(e.g. ConnectionStrings__{ConnectionStringName}=\"Host=db;Database=clinictracker;Username=clinictracker;Password=…\").");
        }

        // A read replica is a PostgreSQL server's copy; a SQLite file has none (ADR 0017). Refused rather than ignored,
        // so nobody believes reports are offloaded when they are not.
        if (settings.Provider == DatabaseProvider.Sqlite && !string.IsNullOrWhiteSpace(configuration.GetConnectionString(ReadReplica.ConnectionStringName)))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{ReadReplica.ConnectionStringName} is set but Database:Provider is sqlite: read replicas are for PostgreSQL only. " +
                $"Remove ConnectionStrings:{ReadReplica.ConnectionStringName}, or set Database:Provider=postgres.");
        }
    }

    /// <summary>The default site's time zone (domain.md §14), applied while no admin has changed that site (docs/operations.md).</summary>
    public const string DefaultSiteTimeZoneKey = "Sites:DefaultTimeZone";

    /// <summary>
    /// Applies pending migrations; on SQLite also switches the file to WAL so readers never block the writer. Then
    /// gives the default site the configured time zone while it is still as the migration made it.
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        await db.Database.MigrateAsync(ct);
        // Patients stored before the PatientSearch migration get their search terms here, not in the migration: the
        // terms are made in C# (SearchText.Fold: NFKD, marks dropped, invariant upper case), which neither database's
        // SQL can repeat exactly. Idempotent: once every patient has terms it is one indexed anti-join and nothing else.
        await PatientSearchIndex.BackfillAsync(db, DbErrors.IsUniqueViolation, ct: ct);
        if (scope.ServiceProvider.GetRequiredService<IConfiguration>()[DefaultSiteTimeZoneKey] is { Length: > 0 } zone &&
            await db.Sites.FirstOrDefaultAsync(s => s.Id == Site.DefaultId, ct) is { } site && site.ApplyConfiguredTimeZone(zone))
        {
            await db.SaveChangesAsync(ct);
        }

        if (db.Database.IsSqlite())
        {
            // WAL is persistent in the file; setting it again is a no-op.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }

    private static DatabaseOptions Settings(IConfiguration configuration) =>
        configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();

    private static string SqliteConnectionString(DatabaseOptions options, IHostEnvironment environment)
    {
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
