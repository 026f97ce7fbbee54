using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using ClinicTracker.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ClinicTracker.Api.Tests.Sessions;

/// <summary>Session history is one query per page that walks the (patient, scheduled time) index.</summary>
public sealed class SessionHistoryQueryPlanTests(SessionHistoryQueryPlanTests.CapturingFactory factory)
    : IClassFixture<SessionHistoryQueryPlanTests.CapturingFactory>
{
    [Fact]
    public async Task HistoryPage_IsOneSessionsQuery_UsingThePatientScheduledAtIndex_WithoutSorting()
    {
        var data = new TreatmentData(factory);
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        for (var i = 0; i < 3; i++)
        {
            await data.Session(patientId, planId, TreatmentData.CheckInTime.AddDays(-i));
        }

        var first = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/sessions?limit=2")).ReadObject();
        factory.Commands.Clear();
        var response = await data.Nurse.GetAsync(
            $"/api/v1/patients/{patientId}/sessions?limit=2&status=scheduled&cursor={first["nextCursor"]}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sessionQueries = factory.Commands.Where(c => c.Sql.Contains("FROM \"treatment_sessions\"", StringComparison.Ordinal)).ToList();
        var page = Assert.Single(sessionQueries);
        // Besides the page: the patient-exists check (the audit row's own reads and writes aside).
        var recordQueries = factory.Commands.Where(c => !c.Sql.Contains("audit_entries", StringComparison.Ordinal)).ToList();
        Assert.True(recordQueries.Count <= 2, string.Join("\n---\n", recordQueries.Select(c => c.Sql)));

        var plan = await ExplainQueryPlan(page);
        Assert.Contains("IX_treatment_sessions_PatientId_ScheduledAt_Id", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }

    private async Task<string> ExplainQueryPlan(CapturedCommand command)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(factory.DataDirectory, "clinictracker.db")}");
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

    public sealed record CapturedCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters);

    public sealed class CapturingFactory : ClinicApiFactory
    {
        public ConcurrentQueue<CapturedCommand> Commands { get; } = new();

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
}
