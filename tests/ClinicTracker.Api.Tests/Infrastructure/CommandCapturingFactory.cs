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

    /// <summary>
    /// The tables a plan reads whole rather than by an index search: SQLite's "SCAN x" (x is the table or its alias in
    /// <paramref name="command"/>; subqueries, co-routines and json_each are not tables), "USING … INDEX" or not — a
    /// SCAN walks the whole table or the whole index, only SEARCH seeks; PostgreSQL's "Seq Scan on x", and an
    /// "Index Scan" or "Index Only Scan" on x without an "Index Cond" (the whole index, in its order). On PostgreSQL
    /// the plan comes from <see cref="TestDatabase.ExplainAsync"/> with enable_seqscan off: a test table of a few rows
    /// makes a Seq Scan cheapest whatever the indexes, so the test asks whether an index CAN answer the query; with
    /// none usable the planner still falls back to the Seq Scan, which is what this reports.
    /// </summary>
    public IReadOnlyList<string> ScannedTables(CapturedCommand command, string plan)
    {
        var lines = plan.Split(" | ").Select(l => l.Trim()).ToList();
        if (Database.Provider == "postgres")
        {
            var scanned = new List<string>();
            for (var i = 0; i < lines.Count; i++)
            {
                if (Regex.Match(lines[i], @"Seq Scan on (\w+)") is { Success: true } seq)
                {
                    scanned.Add(seq.Groups[1].Value);
                }
                else if (Regex.Match(lines[i], @"Index (?:Only )?Scan (?:Backward )?using \S+ on (\w+)") is { Success: true } index &&
                         !lines.Skip(i + 1).TakeWhile(l => !l.StartsWith("->", StringComparison.Ordinal)).Any(l => l.StartsWith("Index Cond:", StringComparison.Ordinal)))
                {
                    scanned.Add(index.Groups[1].Value);
                }
            }

            return [.. scanned.Distinct()];
        }

        // EF writes FROM "table" AS "alias" and JOIN "table" AS "alias"; the plan names the alias.
        var tables = Regex.Matches(command.Sql, @"(?:FROM|JOIN)\s+""(\w+)""\s+AS\s+""(\w+)""")
            .GroupBy(m => m.Groups[2].Value).ToDictionary(g => g.Key, g => g.First().Groups[1].Value);
        foreach (var bare in Regex.Matches(command.Sql, @"(?:FROM|JOIN)\s+""(\w+)""(?!\s+AS)").Select(m => m.Groups[1].Value))
        {
            tables.TryAdd(bare, bare);
        }

        return [.. lines.Select(line => Regex.Match(line, @"^SCAN (\w+)(.*)$"))
            .Where(m => m.Success && !m.Groups[2].Value.Contains("VIRTUAL TABLE", StringComparison.Ordinal) && tables.ContainsKey(m.Groups[1].Value))
            .Select(m => tables[m.Groups[1].Value]).Distinct()];
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
