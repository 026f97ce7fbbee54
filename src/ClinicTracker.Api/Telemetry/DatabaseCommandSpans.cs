using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ClinicTracker.Api.Telemetry;

/// <summary>
/// One client span per SQL command EF runs, on either provider, from the ActivitySource <see cref="SourceName"/>: the
/// database system, the statement's verb and first table, and the time until the first result. Never the SQL text
/// nor a parameter: a parameter is where a name, an MRN or a birth date would be, and the text is not needed to see
/// which query is slow. Failures carry the exception's type only (data-layer messages can quote values). There is no
/// stable EF Core instrumentation package (only a pre-release), hence this interceptor; on PostgreSQL Npgsql's own
/// spans ("Npgsql") nest under these.
/// </summary>
public sealed partial class DatabaseCommandSpans : DbCommandInterceptor
{
    public const string SourceName = "ClinicTracker.Database";

    private static readonly ActivitySource Source = new(SourceName);

    private readonly ConcurrentDictionary<Guid, Activity> running = new();

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Start(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Start(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Start(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Start(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Start(command, eventData);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Start(command, eventData);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Stop(eventData, null);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Stop(eventData, null);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Stop(eventData, null);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Stop(eventData, null);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Stop(eventData, null);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Stop(eventData, null);
        return ValueTask.FromResult(result);
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Stop(eventData, eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Stop(eventData, eventData.Exception);
        return Task.CompletedTask;
    }

    public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Stop(eventData, null, canceled: true);

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Stop(eventData, null, canceled: true);
        return Task.CompletedTask;
    }

    /// <summary>The statement's verb and the first table it names, from SQL whose string literals are blanked first.</summary>
    public static (string Operation, string? Table) Describe(string sql)
    {
        var text = Literal().Replace(Comment().Replace(sql, " "), "''");
        var verb = Verb().Match(text);
        var operation = verb.Success ? verb.Groups[1].Value.ToUpperInvariant() : "SQL";
        var table = Table().Match(text);
        return (operation, table.Success ? table.Groups[1].Value : null);
    }

    private void Start(DbCommand command, CommandEventData eventData)
    {
        if (!Source.HasListeners())
        {
            return;
        }

        var (operation, table) = Describe(command.CommandText);
        var activity = Source.StartActivity(table is null ? operation : $"{operation} {table}", ActivityKind.Client);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("db.system.name", SystemOf(command));
        activity.SetTag("db.operation.name", operation);
        if (table is not null)
        {
            activity.SetTag("db.collection.name", table);
        }

        running[eventData.CommandId] = activity;
    }

    private void Stop(CommandEndEventData eventData, Exception? failure, bool canceled = false)
    {
        if (!running.TryRemove(eventData.CommandId, out var activity))
        {
            return;
        }

        if (failure is not null)
        {
            activity.SetTag("error.type", failure.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error);
        }
        else if (canceled)
        {
            activity.SetTag("error.type", "canceled");
        }

        activity.Stop();
    }

    private static string SystemOf(DbCommand command) => command.GetType().Namespace switch
    {
        "Npgsql" => "postgresql",
        "Microsoft.Data.Sqlite" => "sqlite",
        var other => other ?? "other_sql",
    };

    [GeneratedRegex(@"--[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"'(?:[^']|'')*'")]
    private static partial Regex Literal();

    [GeneratedRegex(@"^\s*([A-Za-z]+)")]
    private static partial Regex Verb();

    [GeneratedRegex(@"\b(?:FROM|INTO|UPDATE|JOIN)\s+""?([A-Za-z_][A-Za-z0-9_]*)""?", RegexOptions.IgnoreCase)]
    private static partial Regex Table();
}
