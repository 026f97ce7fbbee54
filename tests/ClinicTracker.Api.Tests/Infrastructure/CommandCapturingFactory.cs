using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ClinicTracker.Api.Tests.Infrastructure;

/// <summary>One SQL command EF ran, with its parameters.</summary>
public sealed partial record CapturedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters)
{
    /// <summary>
    /// Record keeping's own commands, which every request runs: the audit trail's (reads' rows are written by the
    /// batch writer, which runs beside the request), the audit row's patient-and-site lookup and the staff-register
    /// lookup (domain.md §9, §14), the last two tagged as such.
    /// </summary>
    public bool IsRecordKeeping => Sql.Contains("audit_", StringComparison.Ordinal) || Sql.StartsWith("-- record-keeping", StringComparison.Ordinal);

    /// <summary>Whether the command reads this table (SQLite quotes every name, PostgreSQL only where it must).</summary>
    public bool Reads(string table) => Regex.IsMatch(Sql, $"FROM \"?{Regex.Escape(table)}\"?(\\s|$)");
}

/// <summary>
/// The API with an EF interceptor that records every query it runs, so tests can count round trips and
/// ask the database how it executes EF's own SQL.
/// </summary>
public sealed class CommandCapturingFactory : ClinicApiFactory
{
    public ConcurrentQueue<CapturedCommand> Commands { get; } = new();

    /// <summary>The database's plan for a captured command (<see cref="TestDatabase.ExplainAsync"/>).</summary>
    public Task<string> ExplainQueryPlan(CapturedCommand command) => Database.ExplainAsync(command);

    /// <summary>Whether a plan sorts rows itself instead of reading them in index order.</summary>
    public bool Sorts(string plan) => Database.Provider == "postgres"
        ? Regex.IsMatch(plan, @"(^|\| )Sort\b")
        : plan.Contains("TEMP B-TREE", StringComparison.Ordinal);

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
