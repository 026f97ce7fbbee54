using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ClinicTracker.Api.Tests.Infrastructure;

/// <summary>One SQL command EF ran, with its parameters.</summary>
public sealed record CapturedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters);

/// <summary>
/// The API with an EF interceptor that records every query it runs, so tests can count round trips and
/// ask the database how it executes EF's own SQL.
/// </summary>
public sealed class CommandCapturingFactory : ClinicApiFactory
{
    public ConcurrentQueue<CapturedCommand> Commands { get; } = new();

    /// <summary>The database's plan for a captured command (<see cref="TestDatabase.ExplainAsync"/>).</summary>
    public Task<string> ExplainQueryPlan(CapturedCommand command) => Database.ExplainAsync(command);

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
