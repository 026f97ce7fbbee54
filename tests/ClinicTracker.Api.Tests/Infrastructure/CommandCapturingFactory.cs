using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ClinicTracker.Api.Tests.Infrastructure;

/// <summary>One SQL command EF ran, with its parameters.</summary>
public sealed record CapturedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters);

/// <summary>
/// The API with an EF interceptor that records every query it runs, so tests can count round trips and
/// ask SQLite how it executes EF's own SQL.
/// </summary>
public sealed class CommandCapturingFactory : ClinicApiFactory
{
    public ConcurrentQueue<CapturedCommand> Commands { get; } = new();

    /// <summary>SQLite's EXPLAIN QUERY PLAN of a captured command, its details joined by " | ".</summary>
    public async Task<string> ExplainQueryPlan(CapturedCommand command)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "clinictracker.db")}");
        await connection.OpenAsync();
        await using var explain = connection.CreateCommand();
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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IInterceptor>(new Capture(Commands)));
    }

    private sealed class Capture(ConcurrentQueue<CapturedCommand> commands) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            commands.Enqueue(new CapturedCommand(command.CommandText,
                [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value))]));
            return ValueTask.FromResult(result);
        }
    }
}
