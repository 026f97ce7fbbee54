using System.Data.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Migrations.Postgres;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ClinicTracker.Api.Tests.Infrastructure;

/// <summary>
/// Which database this test assembly runs the HTTP suite on. The same test sources compile twice:
/// ClinicTracker.Api.Tests on SQLite and ClinicTracker.Api.Tests.Postgres (POSTGRES defined) on the PostgreSQL
/// server named by <see cref="ServerVariable"/>; without it the PostgreSQL assembly's tests report as skipped
/// and CI, which always sets it, fails on any skip.
/// </summary>
public static class TestProvider
{
    public const string ServerVariable = "CLINICTRACKER_TEST_POSTGRES";

#if POSTGRES
    public static readonly bool IsPostgres = true;
#else
    public static readonly bool IsPostgres = false;
#endif

    /// <summary>A connection string to a server where the tests may create and drop databases, e.g. <c>Host=127.0.0.1;Port=55432;Username=postgres</c>.</summary>
    public static string? PostgresServer => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } value ? value : null;

    /// <summary>Names a streaming replica of <see cref="ServerVariable"/>'s server (<c>.ci/postgres-cluster replica</c>), for the read-replica tests.</summary>
    public const string ReplicaVariable = "CLINICTRACKER_TEST_POSTGRES_REPLICA";

    /// <summary>The replica's connection string, e.g. <c>Host=127.0.0.1;Port=55433;Username=postgres</c> (a superuser: the tests pause its replay).</summary>
    public static string? PostgresReplica => Environment.GetEnvironmentVariable(ReplicaVariable) is { Length: > 0 } value ? value : null;
}

/// <summary>
/// One test database made by the real migrations: a SQLite file in a temp folder, or a PostgreSQL database
/// copied from a template the migrations built once per test run. Tests reach it directly only through here
/// (raw SQL for tampering and query plans), in SQL both providers accept (quoted identifiers).
/// </summary>
public abstract class TestDatabase : IDisposable
{
    /// <param name="migrated">False for an empty database (the API's own start-up migration then runs, or not).</param>
    public static TestDatabase Create(bool migrated = true) =>
        TestProvider.IsPostgres ? new PostgresTestDatabase(migrated) : new SqliteTestDatabase();

    /// <summary>"sqlite" or "postgres", as <c>Database:Provider</c> spells it.</summary>
    public abstract string Provider { get; }

    /// <summary>The host settings that point the API at this database.</summary>
    public abstract IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>Settings that point the API at a database of this provider that cannot be reached.</summary>
    public static IReadOnlyDictionary<string, string?> Unreachable => TestProvider.IsPostgres
        ? new Dictionary<string, string?>
        {
            ["Database:Provider"] = "postgres",
            // Nothing listens on port 1; connecting is refused at once.
            ["ConnectionStrings:Clinic"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2",
            ["Database:MigrateOnStartup"] = "false",
        }
        : new Dictionary<string, string?>
        {
            ["Database:Provider"] = "sqlite",
            // A file in a folder that does not exist, opened without permission to create it: SQLITE_CANTOPEN.
            ["ConnectionStrings:Clinic"] = $"Data Source={Path.Combine(Path.GetTempPath(), "clinictracker-tests", "no-such-folder-" + Guid.NewGuid().ToString("N"), "x.db")};Mode=ReadWrite",
            ["Database:MigrateOnStartup"] = "false",
        };

    /// <summary>The same settings as environment variables, for an API started as its own process.</summary>
    public IReadOnlyDictionary<string, string?> EnvironmentVariables => AsEnvironment(Settings);

    /// <summary>Host settings as the environment variables that set them (<c>A:B</c> → <c>A__B</c>).</summary>
    public static Dictionary<string, string?> AsEnvironment(IEnumerable<KeyValuePair<string, string?>> settings) =>
        settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);

    public abstract DbConnection OpenConnection();

    /// <summary>Runs one statement outside the API, as someone with direct database access would; returns rows affected.</summary>
    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>The database's plan for one command EF ran, its lines joined by " | ".</summary>
    public abstract Task<string> ExplainAsync(CapturedCommand command);

    /// <summary>
    /// Removes the triggers that make the audit tables append-only (ADR 0013), as someone who owns the database
    /// could: what the hash chains and the exported head must still catch.
    /// </summary>
    public abstract Task DropAuditGuardsAsync();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);
}

internal sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "clinictracker-tests", Guid.NewGuid().ToString("N"));

    public override string Provider => "sqlite";

    public override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = Provider,
        ["Database:DataDirectory"] = directory,
    };

    private string File => Path.Combine(directory, "clinictracker.db");

    public override DbConnection OpenConnection()
    {
        var connection = new SqliteConnection($"Data Source={File};Pooling=false");
        connection.Open();
        return connection;
    }

    public override async Task<string> ExplainAsync(CapturedCommand command)
    {
        await using var connection = OpenConnection();
        await using var explain = (SqliteCommand)connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.Sql;
        foreach (var (name, value) in command.Parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var details = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            details.Add(reader.GetString(3));
        }

        return string.Join(" | ", details);
    }

    public override async Task DropAuditGuardsAsync()
    {
        foreach (var trigger in new[] { "audit_entries_no_update", "audit_entries_no_delete", "audit_chain_heads_forward_only", "audit_chain_heads_no_delete" })
        {
            await ExecuteAsync($"DROP TRIGGER {trigger}");
        }
    }

    protected override void Dispose(bool disposing)
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temp folder behind.
        }
    }
}

internal sealed class PostgresTestDatabase : TestDatabase
{
    private static readonly SemaphoreSlim Creating = new(1, 1);
    private static readonly Lazy<string> Template = new(CreateTemplate);
    private readonly string name = "ct_" + Guid.NewGuid().ToString("N");

    public PostgresTestDatabase(bool migrated)
    {
        Creating.Wait();
        try
        {
            Admin($"CREATE DATABASE \"{name}\"" + (migrated ? $" TEMPLATE \"{Template.Value}\"" : ""));
        }
        finally
        {
            Creating.Release();
        }
    }

    public override string Provider => "postgres";

    public string ConnectionString => new NpgsqlConnectionStringBuilder(Server)
    {
        Database = name,
        // Enough for the concurrency tests; the cluster CI starts allows 300.
        MaxPoolSize = 40,
    }.ToString();

    public override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = Provider,
        ["ConnectionStrings:Clinic"] = ConnectionString,
    };

    private static string Server => TestProvider.PostgresServer
        ?? throw new InvalidOperationException($"Set {TestProvider.ServerVariable} to a PostgreSQL server's connection string.");

    public override DbConnection OpenConnection()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public override async Task<string> ExplainAsync(CapturedCommand command)
    {
        await using var connection = (NpgsqlConnection)OpenConnection();
        // Tables in a test hold a few rows, where a sequential scan is always cheapest: forbid it, so the plan
        // shows whether an index can answer the query at all (it falls back to a scan only when none can).
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN " + command.Sql, connection);
        foreach (var (parameterName, value) in command.Parameters)
        {
            explain.Parameters.AddWithValue(parameterName, value ?? DBNull.Value);
        }

        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0).Trim());
        }

        return string.Join(" | ", lines);
    }

    public override async Task DropAuditGuardsAsync()
    {
        await ExecuteAsync("ALTER TABLE audit_entries DISABLE TRIGGER USER");
        await ExecuteAsync("ALTER TABLE audit_chain_heads DISABLE TRIGGER USER");
    }

    protected override void Dispose(bool disposing)
    {
        NpgsqlConnection.ClearAllPools();
        Admin($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    /// <summary>Migrates one database per test run; each test class's database is a copy of it (CREATE DATABASE … TEMPLATE).</summary>
    private static string CreateTemplate()
    {
        var template = $"ct_template_{Environment.ProcessId}_{Guid.NewGuid().ToString("N")[..8]}";
        Admin($"CREATE DATABASE \"{template}\"");
        var options = new DbContextOptionsBuilder<ClinicDbContext>()
            .UseNpgsql(new NpgsqlConnectionStringBuilder(Server) { Database = template, Pooling = false }.ToString(),
                npgsql => npgsql.MigrationsAssembly(PostgresMigrationsAssembly.Name))
            .Options;
        using (var db = new ClinicDbContext(options))
        {
            db.Database.Migrate();
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => Admin($"DROP DATABASE IF EXISTS \"{template}\" WITH (FORCE)");
        return template;
    }

    private static void Admin(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Pooling = false }.ToString());
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
