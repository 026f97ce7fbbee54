#if POSTGRES
// PostgreSQL only (ADR 0017): a SQLite file has no replica. ReportingDatabaseTests covers what holds on both providers.
using System.Net;
using ClinicTracker.Api.Common;
using ClinicTracker.Api.Tests.Adherence;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Api.Tests.Outcomes;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Sites;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ClinicTracker.Api.Tests.ScaleOut;

/// <summary>
/// Heavy reads on a streaming replica (docs/operations.md, "Read replicas (PostgreSQL)"): the clinic-wide adherence
/// report is served from <c>ConnectionStrings:ClinicReadOnly</c>, with the caller's sites, in sessions that cannot
/// write; everything else stays on the primary. "Served from the replica" is shown, not assumed: with the replica's
/// replay paused, a plan the primary has is missing from the report until replay resumes. One class, so no two
/// tests pause the shared replica at once.
/// </summary>
public sealed class ReadReplicaTests(ReplicaApiFactory factory) : IClassFixture<ReplicaApiFactory>
{
    // Due Mon 2026-01-05 and Mon 2026-01-12; with no visit both are missed as of 2026-02-01: 0 / 2, below 0.5.
    private static readonly object[] TwoWeekly = [new { name = "induction", sessions = 2, everyDays = 7 }];
    private const string Query = "below=0.5&asOf=2026-02-01";

    private readonly TreatmentData data = new(factory);

    [PostgresReplicaFact]
    public async Task Report_IsServedFromTheReplica_APlanWrittenWhileReplayIsPausedIsMissing_UntilReplayResumes()
    {
        var visits = new Visits(data);
        var patientId = await data.Patient();
        await factory.Replica.WaitUntilReplayedAsync();

        Guid planId;
        await using (await factory.Replica.PauseReplayAsync())
        {
            planId = await visits.Plan(patientId, "2026-01-05", TwoWeekly);

            // The primary has it at once (the per-plan read), the replica does not: the report came from the replica.
            var onPrimary = await (await data.Prescriber.GetAsync($"/api/v1/plans/{planId}/adherence?asOf=2026-02-01")
                .EnsureStatus(HttpStatusCode.OK)).ReadObject();
            Assert.Equal(0m, onPrimary["adherenceRate"]!.GetValue<decimal>());
            Assert.Equal(2, onPrimary["missed"]!.GetValue<int>());
            Assert.DoesNotContain(planId, await ReportedPlans(data.Prescriber));
        }

        await factory.Replica.WaitUntilReplayedAsync();

        Assert.Contains(planId, await ReportedPlans(data.Prescriber));
    }

    [PostgresReplicaFact]
    public async Task Report_OnTheReplica_ShowsOnlyTheCallersSites()
    {
        var admin = factory.ClientFor("admin.replica", "admin");
        var (a, b) = (await SiteData.Create(admin, "ReplicaA"), await SiteData.Create(admin, "ReplicaB"));
        var atA = AtSite("a", a);
        var atB = AtSite("b", b);
        var planA = await new Visits(atA).Plan(await atA.Patient(), "2026-01-05", TwoWeekly);
        var planB = await new Visits(atB).Plan(await atB.Patient(), "2026-01-05", TwoWeekly);
        await factory.Replica.WaitUntilReplayedAsync();
        factory.Commands.Clear();

        var seenAtA = await ReportedPlans(atA.Prescriber);
        var seenAtB = await ReportedPlans(atB.Prescriber);

        Assert.NotEmpty(factory.OnReplica);
        Assert.Contains(planA, seenAtA);
        Assert.DoesNotContain(planB, seenAtA);
        Assert.Contains(planB, seenAtB);
        Assert.DoesNotContain(planA, seenAtB);
    }

    [PostgresReplicaFact]
    public async Task Writes_NeverTouchTheReplica_AndTheReportRunsOnlyItsOwnQueriesThere()
    {
        await factory.Replica.WaitUntilReplayedAsync();
        factory.Commands.Clear();

        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        var sessionId = await data.Session(patientId, planId);
        await data.CheckIn(sessionId);
        await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(14), DateTimeOffset.UtcNow.AddHours(-1));

        Assert.Empty(factory.OnReplica);
        Assert.Contains(factory.Commands, c => c.Port == factory.Replica.PrimaryPort && c.Sql.StartsWith("INSERT", StringComparison.Ordinal));

        factory.Commands.Clear();
        await ReportedPlans(data.Prescriber);

        // The report's own queries ran on the replica; the staff register, the audit trail and the rest of record
        // keeping stayed on the primary (ADR 0017).
        Assert.NotEmpty(factory.OnReplica);
        Assert.DoesNotContain(factory.OnReplica, c => c.IsRecordKeeping || !c.Sql.StartsWith("SELECT", StringComparison.Ordinal));
        Assert.Contains(factory.Commands, c => c.Port == factory.Replica.PrimaryPort && c.IsRecordKeeping);
    }

    [PostgresReplicaFact]
    public async Task Outcomes_StayOnThePrimary_AnAssessmentJustRecordedIsInThem_WhileTheReplicaLags()
    {
        var patientId = await data.Patient();
        await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(20), DateTimeOffset.UtcNow.AddDays(-7));
        await factory.Replica.WaitUntilReplayedAsync();

        await using (await factory.Replica.PauseReplayAsync())
        {
            var recorded = await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(4), DateTimeOffset.UtcNow.AddHours(-1));

            // A nurse records a PHQ-9 and opens the outcomes: she must see it (read your own writes), lag or not.
            var phq9 = AssessmentData.Instrument(await AssessmentData.Outcomes(data.Nurse, patientId), "phq9");
            Assert.Equal(recorded["id"]!.GetValue<Guid>(), phq9["latest"]!["assessmentId"]!.GetValue<Guid>());
        }
    }

    [PostgresReplicaFact]
    public async Task ReportingContext_IsOnTheReplica_NoTracking_AndRefusesToSave()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var primary = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var reporting = scope.ServiceProvider.GetRequiredService<ReportingDatabase>();
        var context = reporting.Context;

        Assert.True(reporting.UsesReplica);
        Assert.NotSame(primary, context);
        Assert.Equal(factory.Replica.Port, new NpgsqlConnectionStringBuilder(context.Database.GetConnectionString()).Port);
        Assert.Equal(QueryTrackingBehavior.NoTracking, context.ChangeTracker.QueryTrackingBehavior);

        var site = await context.Sites.FirstAsync(s => s.Id == Site.DefaultId);
        Assert.Empty(context.ChangeTracker.Entries());
        context.Update(site);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => context.SaveChangesAsync());
        Assert.Equal(ReadReplica.SaveRefused, refused.Message);
        Assert.Equal(ReadReplica.SaveRefused, Assert.Throws<InvalidOperationException>(() => context.SaveChanges()).Message);
    }

    [PostgresReplicaFact]
    public async Task ReportingContext_HasTheSiteScopeOfTheRequestsContext_AndSeesNothingBeforeItIsScoped()
    {
        var admin = factory.ClientFor("admin.replica", "admin");
        var (a, b) = (await SiteData.Create(admin, "ScopeA"), await SiteData.Create(admin, "ScopeB"));
        var atB = await AtSite("scope.b", b).Patient();
        await factory.Replica.WaitUntilReplayedAsync();
        await using var scope = factory.Services.CreateAsyncScope();
        var primary = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var reporting = scope.ServiceProvider.GetRequiredService<ReportingDatabase>();

        // Fail closed (ADR 0015): the request's context is not scoped yet, so neither is the replica's.
        Assert.False(await reporting.Context.Patients.AnyAsync(p => p.Id == atB));

        primary.ScopeTo(SiteScope.Of([a]));
        Assert.Equal([a], reporting.Context.SiteScope.SiteIds);
        Assert.False(await reporting.Context.Patients.AnyAsync(p => p.Id == atB));

        primary.ScopeTo(SiteScope.Of([b]));
        Assert.True(await reporting.Context.Patients.AnyAsync(p => p.Id == atB));
    }

    [PostgresReplicaFact]
    public async Task PreferStandby_WithBothServersUp_ReadsFromTheStandby_WhicheverIsListedFirst()
    {
        using var multiHost = new PreferStandbyFactory();
        var data = new TreatmentData(multiHost);
        var patientId = await data.Patient();
        await multiHost.Replica.WaitUntilReplayedAsync();

        Guid planId;
        await using (await multiHost.Replica.PauseReplayAsync())
        {
            planId = await new Visits(data).Plan(patientId, "2026-01-05", TwoWeekly);
            Assert.DoesNotContain(planId, await ReportedPlans(data.Prescriber));
        }

        await multiHost.Replica.WaitUntilReplayedAsync();
        Assert.Contains(planId, await ReportedPlans(data.Prescriber));
    }

    /// <summary>Front desk, nurse and prescriber working at one site only.</summary>
    private TreatmentData AtSite(string prefix, Guid site) => new(
        factory.ClientAt(Http.Unique($"{prefix}.fd"), "front-desk", site),
        factory.ClientAt(Http.Unique($"{prefix}.nurse"), "nurse", site),
        factory.ClientAt(Http.Unique($"{prefix}.dr"), "prescriber", site));

    /// <summary>The plan ids of the whole report, page by page.</summary>
    private static async Task<List<Guid>> ReportedPlans(HttpClient client)
    {
        var plans = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await client.GetAsync($"/api/v1/reports/adherence?{Query}&limit=100" + (cursor is null ? "" : $"&cursor={cursor}"))
                .EnsureStatus(HttpStatusCode.OK)).ReadObject();
            plans.AddRange(page["items"]!.AsArray().Select(i => i!["planId"]!.GetValue<Guid>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        return plans;
    }

    /// <summary>ClinicReadOnly as a multi-host string with the primary first: the standby is picked for what it is.</summary>
    private sealed class PreferStandbyFactory : ReplicaApiFactory
    {
        protected override string ReadOnlyConnectionString => new NpgsqlConnectionStringBuilder(Replica.ConnectionString)
        {
            Host = $"127.0.0.1:{Replica.PrimaryPort},127.0.0.1:{Replica.Port}",
            TargetSessionAttributes = "prefer-standby",
        }.ToString();
    }
}

/// <summary>
/// A replica that cannot be reached (docs/operations.md, "Read replicas (PostgreSQL)"): the instance stays ready and
/// writes go on; with a single-host ClinicReadOnly the report alone is 503, with <c>prefer-standby</c> it falls back to
/// the primary, still in read-only sessions. Needs no replica: nothing listens on port 1.
/// </summary>
public sealed class ReadReplicaOutageTests
{
    private static readonly object[] TwoWeekly = [new { name = "induction", sessions = 2, everyDays = 7 }];

    [Fact]
    public async Task UnreachableReplica_TheInstanceStaysReady_WritesGoOn_AndTheReportIs503()
    {
        using var factory = new DownReplicaFactory(preferStandby: false);
        var data = new TreatmentData(factory);

        await factory.CreateClient().GetAsync("/health/ready").EnsureStatus(HttpStatusCode.OK);
        var planId = await new Visits(data).Plan(await data.Patient(), "2026-01-05", TwoWeekly);
        await data.Prescriber.GetAsync($"/api/v1/plans/{planId}/adherence?asOf=2026-02-01").EnsureStatus(HttpStatusCode.OK);

        var report = await data.Prescriber.GetAsync("/api/v1/reports/adherence?below=0.5&asOf=2026-02-01");

        await report.AssertProblem(HttpStatusCode.ServiceUnavailable, "database.unavailable");
        Assert.Equal("2", report.Headers.RetryAfter?.ToString());
    }

    [Fact]
    public async Task PreferStandby_WithTheReplicaDown_TheReportFallsBackToThePrimary_InReadOnlySessions()
    {
        using var factory = new DownReplicaFactory(preferStandby: true);
        var data = new TreatmentData(factory);
        var planId = await new Visits(data).Plan(await data.Patient(), "2026-01-05", TwoWeekly);

        var report = await (await data.Prescriber.GetAsync("/api/v1/reports/adherence?below=0.5&asOf=2026-02-01&limit=100")
            .EnsureStatus(HttpStatusCode.OK)).ReadObject();

        Assert.Contains(report["items"]!.AsArray(), i => i!["planId"]!.GetValue<Guid>() == planId);
        await using var scope = factory.Services.CreateAsyncScope();
        var reporting = scope.ServiceProvider.GetRequiredService<ReportingDatabase>().Context;
        var refused = await Assert.ThrowsAsync<PostgresException>(() => reporting.Database.ExecuteSqlRawAsync("UPDATE sites SET \"Name\" = \"Name\""));
        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, refused.SqlState);
    }

    /// <summary>ClinicReadOnly naming a server that is down: alone, or first of a prefer-standby pair with the primary.</summary>
    private sealed class DownReplicaFactory(bool preferStandby) : ReplicaApiFactory
    {
        protected override string ReadOnlyConnectionString
        {
            get
            {
                var primary = new NpgsqlConnectionStringBuilder(Database.Settings["ConnectionStrings:Clinic"]) { Timeout = 2 };
                primary.Host = preferStandby ? $"127.0.0.1:1,{primary.Host}:{primary.Port}" : "127.0.0.1";
                primary.Port = preferStandby ? primary.Port : 1;
                if (preferStandby)
                {
                    primary.TargetSessionAttributes = "prefer-standby";
                }

                return primary.ToString();
            }
        }
    }
}
#endif
