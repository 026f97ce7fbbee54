using ClinicTracker.Core.Data;
using ClinicTracker.Migrations.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace ClinicTracker.Api.Common;

/// <summary>
/// The request's database for heavy reads that may lag the record by a few seconds: clinic-wide reports (ADR 0017;
/// docs/operations.md, "Read replicas (PostgreSQL)"). With <c>ConnectionStrings:ClinicReadOnly</c> set it is a
/// context on that server (a streaming replica, or an Npgsql multi-host string that prefers one): no-tracking, in
/// read-only sessions, refusing to save, and seeing exactly the sites the request's own context sees. Without
/// the setting it is the request's <see cref="ClinicDbContext"/> itself. Anything that writes, or must read what
/// was just written, uses the request's <see cref="ClinicDbContext"/> instead, never this.
/// </summary>
public sealed class ReportingDatabase(ClinicDbContext primary, ReadReplica replica) : IAsyncDisposable, IDisposable
{
    private ClinicDbContext? onReplica;

    /// <summary>Whether <see cref="Context"/> reads from <c>ConnectionStrings:ClinicReadOnly</c> rather than the primary.</summary>
    public bool UsesReplica => replica.Options is not null;

    /// <summary>
    /// The context to run the report on. Made on first use (a request that writes never opens a replica connection)
    /// and scoped, at each use, to the request context's sites: StaffRegisterCeiling scopes the primary context
    /// once the caller is known, and this follows it (ADR 0015: before that it is <c>SiteScope.None</c>, which sees
    /// nothing, so it fails closed).
    /// </summary>
    public ClinicDbContext Context
    {
        get
        {
            if (replica.Options is not { } options)
            {
                return primary;
            }

            onReplica ??= new ClinicDbContext(options);
            onReplica.ScopeTo(primary.SiteScope);
            return onReplica;
        }
    }

    public ValueTask DisposeAsync() => onReplica?.DisposeAsync() ?? ValueTask.CompletedTask;

    public void Dispose() => onReplica?.Dispose();
}

/// <summary>
/// The options of contexts on <c>ConnectionStrings:ClinicReadOnly</c>, built once; <see cref="Options"/> is null
/// when it is not set (every read then stays on the primary).
/// </summary>
public sealed class ReadReplica
{
    /// <summary>The connection string's name: <c>ConnectionStrings:ClinicReadOnly</c> (or <c>ConnectionStrings__ClinicReadOnly</c>).</summary>
    public const string ConnectionStringName = "ClinicReadOnly";

    /// <summary>The message of the exception a save on the replica context throws.</summary>
    public const string SaveRefused =
        "The reporting database is read-only: a save on it is a bug. Write through the request's ClinicDbContext (the primary).";

    private ReadReplica(DbContextOptions<ClinicDbContext>? options) => Options = options;

    public DbContextOptions<ClinicDbContext>? Options { get; }

    /// <summary>The replica's options from configuration; CheckConfiguration has already refused it on SQLite.</summary>
    public static ReadReplica Create(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        if (configuration.GetConnectionString(ConnectionStringName) is not { Length: > 0 } connectionString)
        {
            return new ReadReplica(null);
        }

        var options = new DbContextOptionsBuilder<ClinicDbContext>()
            .UseNpgsql(ReadOnlySessions(DatabaseSetup.WithPostgresDefaults(connectionString)!), npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly.Name))
            // Nothing read here is ever saved: no snapshots to keep.
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            // The app's logging and the interceptors registered in DI (diagnostics, tests that inspect the SQL), as on the primary.
            .UseLoggerFactory(services.GetRequiredService<ILoggerFactory>())
            .AddInterceptors(services.GetServices<IInterceptor>().Append(new RefuseSaves()))
            .Options;
        return new ReadReplica(options);
    }

    /// <summary>
    /// Every session on this connection string is read-only, so even when a multi-host string falls back to the
    /// primary (<c>Target Session Attributes=prefer-standby</c>), nothing sent through it can change the record.
    /// </summary>
    private static string ReadOnlySessions(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = string.Join(' ', new[] { builder.Options, "-c default_transaction_read_only=on" }.Where(o => !string.IsNullOrWhiteSpace(o)));
        return builder.ConnectionString;
    }

    /// <summary>A write sent to a replica is a bug: say so at once, before anything reaches the server.</summary>
    private sealed class RefuseSaves : SaveChangesInterceptor
    {
        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
            throw new InvalidOperationException(SaveRefused);

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException(SaveRefused);
    }
}
