using ClinicTracker.Api.Common;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Core.Data;

namespace ClinicTracker.Api.Tests.ScaleOut;

/// <summary>
/// The reporting database without a replica, on both providers (ADR 0017): it is the request's own context, and a
/// ClinicReadOnly on SQLite is refused at start. ReadReplicaTests (PostgreSQL) covers the replica itself.
/// </summary>
public sealed class ReportingDatabaseTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    [Fact]
    public async Task WithoutClinicReadOnly_TheReportingContextIsTheRequestsOwnContext()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var reporting = scope.ServiceProvider.GetRequiredService<ReportingDatabase>();

        Assert.False(reporting.UsesReplica);
        Assert.Same(scope.ServiceProvider.GetRequiredService<ClinicDbContext>(), reporting.Context);
    }

    [Fact]
    public void ClinicReadOnly_OnSqlite_StopsTheApiAtStartWithAMessageNamingTheSetting()
    {
        using var sqlite = new SettingsFactory(new()
        {
            ["Database:Provider"] = "sqlite",
            ["ConnectionStrings:ClinicReadOnly"] = "Host=replica;Database=clinictracker;Username=clinictracker",
        });

        var error = Assert.ThrowsAny<InvalidOperationException>(() => sqlite.CreateClient());

        Assert.Contains("ConnectionStrings:ClinicReadOnly", error.Message, StringComparison.Ordinal);
        Assert.Contains("sqlite", error.Message, StringComparison.Ordinal);
    }

    private sealed class SettingsFactory(Dictionary<string, string?> settings) : ClinicApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => settings;
    }
}
