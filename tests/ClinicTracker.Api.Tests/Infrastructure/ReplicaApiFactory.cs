#if POSTGRES
// PostgreSQL only: a SQLite file has no replica (ADR 0017), and the API refuses ClinicReadOnly on SQLite.
using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace ClinicTracker.Api.Tests.Infrastructure;

/// <summary>One SQL command EF ran and the port of the server it ran on.</summary>
public sealed record PortedCommand(int Port, string Sql)
{
    /// <inheritdoc cref="CapturedCommand.IsRecordKeeping"/>
    public bool IsRecordKeeping => new CapturedCommand(Sql, []).IsRecordKeeping;
}

/// <summary>
/// The API on its test database (the primary) with <c>ConnectionStrings:ClinicReadOnly</c> naming the same database on
/// the streaming replica of <see cref="TestProvider.ReplicaVariable"/> (physical replication copies the whole
/// cluster, so every test database exists there once replayed). Records the server port of every command EF runs,
/// so a test can tell which server answered.
/// </summary>
public class ReplicaApiFactory : ClinicApiFactory
{
    private readonly Lazy<TestReplica> replica;

    public ReplicaApiFactory()
    {
        // Made on first use, like the database, so a skipped test class needs neither server.
        replica = new(() => new TestReplica(Database));
    }

    /// <summary>The replica, for the tests that must steer or query it (pausing its replay).</summary>
    public TestReplica Replica => replica.Value;

    public ConcurrentQueue<PortedCommand> Commands { get; } = new();

    /// <summary>The commands that ran on the replica.</summary>
    public IReadOnlyList<PortedCommand> OnReplica => [.. Commands.Where(c => c.Port == Replica.Port)];

    /// <summary>The <c>ConnectionStrings:ClinicReadOnly</c> the API gets; by default the replica's own.</summary>
    protected virtual string ReadOnlyConnectionString => Replica.ConnectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ConnectionStrings:ClinicReadOnly", ReadOnlyConnectionString);
        builder.ConfigureTestServices(services => services.AddSingleton<IInterceptor>(new PortCapture(Commands)));
    }

    private sealed class PortCapture(ConcurrentQueue<PortedCommand> commands) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Record(command);
            return result;
        }

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Record(command);
            return result;
        }

        private void Record(DbCommand command) =>
            commands.Enqueue(new PortedCommand(((NpgsqlConnection)command.Connection!).Port, command.CommandText));
    }
}

/// <summary>
/// The test database's copy on the replica, and the replica's replay: the read-replica tests wait for it to catch
/// up with the primary and pause it to make the replica lag on purpose (superuser functions of PostgreSQL 15).
/// </summary>
public sealed class TestReplica
{
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(30);
    private readonly TestDatabase primary;
    private readonly NpgsqlConnectionStringBuilder server;

    public TestReplica(TestDatabase primary)
    {
        this.primary = primary;
        server = new NpgsqlConnectionStringBuilder(TestProvider.PostgresReplica
            ?? throw new InvalidOperationException($"Set {TestProvider.ReplicaVariable} to a streaming replica's connection string."));
        var primaryDatabase = new NpgsqlConnectionStringBuilder(primary.Settings["ConnectionStrings:Clinic"]);
        ConnectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = primaryDatabase.Database, MaxPoolSize = 20 }.ToString();
        PrimaryPort = primaryDatabase.Port;
    }

    /// <summary>The test database on the replica.</summary>
    public string ConnectionString { get; }

    public int Port => server.Port;

    public int PrimaryPort { get; }

    /// <summary>Waits until the replica has replayed everything the primary had committed when this was called.</summary>
    public async Task WaitUntilReplayedAsync()
    {
        // The insert position, not the write position: the test clusters run with synchronous_commit=off, so a commit that
        // has returned may not be written (and shipped) yet; pg_current_wal_lsn() could be before it.
        var lsn = (string)(await primary.ScalarAsync("SELECT pg_current_wal_insert_lsn()::text"))!;
        var deadline = DateTime.UtcNow + CatchUpTimeout;
        while (!(bool)(await ScalarAsync($"SELECT coalesce(pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn, false)"))!)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The replica on port {Port} did not replay up to the primary's {lsn} within {CatchUpTimeout.TotalSeconds} s " +
                    $"(replayed: {await ScalarAsync("SELECT pg_last_wal_replay_lsn()::text")}).");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Pauses replay (the replica keeps answering, from what it had) until the returned handle is disposed.</summary>
    public async Task<IAsyncDisposable> PauseReplayAsync()
    {
        await ScalarAsync("SELECT pg_wal_replay_pause()");
        var deadline = DateTime.UtcNow + CatchUpTimeout;
        while ((string?)await ScalarAsync("SELECT pg_get_wal_replay_pause_state()") != "paused")
        {
            if (DateTime.UtcNow > deadline)
            {
                await ResumeReplayAsync();
                throw new TimeoutException($"The replica on port {Port} did not pause its replay.");
            }

            await Task.Delay(20);
        }

        return new Resume(this);
    }

    public Task ResumeReplayAsync() => ScalarAsync("SELECT pg_wal_replay_resume()");

    /// <summary>One query on the replica's maintenance database (which exists on every cluster), outside the API.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private sealed class Resume(TestReplica replica) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await replica.ResumeReplayAsync();
    }
}
#endif
