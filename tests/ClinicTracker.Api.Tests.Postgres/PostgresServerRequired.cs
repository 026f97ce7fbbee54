// Every [Fact] and [Theory] of the shared sources resolves to these in this assembly (an alias wins over the
// type imported from the Xunit namespace): each test runs on PostgreSQL, or is reported skipped — never
// silently passed — when no server is configured. CI configures one and fails on any skipped test.
global using FactAttribute = ClinicTracker.Api.Tests.Infrastructure.PostgresFactAttribute;
global using TheoryAttribute = ClinicTracker.Api.Tests.Infrastructure.PostgresTheoryAttribute;

namespace ClinicTracker.Api.Tests.Infrastructure;

internal static class PostgresServerRequired
{
    public static string? SkipReason => TestProvider.PostgresServer is null
        ? $"No PostgreSQL server: set {TestProvider.ServerVariable} (e.g. Host=127.0.0.1;Port=55432;Username=postgres), as .ci/run does."
        : null;

    public static string? ReplicaSkipReason => SkipReason ?? (TestProvider.PostgresReplica is null
        ? $"No streaming replica: set {TestProvider.ReplicaVariable} to the one `.ci/postgres-cluster replica PRIMARY-DIR DIR` prints, as .ci/run does."
        : null);
}

public sealed class PostgresFactAttribute : Xunit.FactAttribute
{
    public PostgresFactAttribute()
    {
        Skip ??= PostgresServerRequired.SkipReason;
    }
}

public sealed class PostgresTheoryAttribute : Xunit.TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        Skip ??= PostgresServerRequired.SkipReason;
    }
}

/// <summary>A test that needs a streaming replica of the server as well (the read-replica tests); skipped, saying why, without one.</summary>
public sealed class PostgresReplicaFactAttribute : Xunit.FactAttribute
{
    public PostgresReplicaFactAttribute()
    {
        Skip ??= PostgresServerRequired.ReplicaSkipReason;
    }
}
