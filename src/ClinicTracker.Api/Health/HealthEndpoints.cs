using System.Data.Common;
using ClinicTracker.Api.Common;
using ClinicTracker.Core.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Health;

/// <summary>The state of one health probe.</summary>
/// <param name="Status">"healthy" or "unhealthy".</param>
/// <param name="PendingMigrations">Migrations not yet applied (readiness only).</param>
public sealed record HealthResponse(
    string Status,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<string>? PendingMigrations = null);

public static class HealthEndpoints
{
    public static RouteGroupBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        group.MapGet("/live", Live).WithName(nameof(Live)).WithSummary("Liveness: the process answers.");
        group.MapGet("/ready", Ready).WithName(nameof(Ready))
            .WithSummary("Readiness: the database is reachable and every migration is applied.")
            .ProducesProblems(StatusCodes.Status503ServiceUnavailable, "health.database-unreachable", "health.migrations-pending");
        return group;
    }

    private static Ok<HealthResponse> Live() => TypedResults.Ok(new HealthResponse("healthy"));

    private static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> Ready(ClinicDbContext db, CancellationToken ct)
    {
        List<string>? pending;
        try
        {
            // Either provider: the server (or file) answers, and then which migrations it lacks; a database that
            // does not exist yet reports every migration as pending.
            pending = await db.Database.CanConnectAsync(ct) ? [.. await db.Database.GetPendingMigrationsAsync(ct)] : null;
        }
        catch (DbException)
        {
            pending = null;
        }

        if (pending is null)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "health.database-unreachable",
                "Not ready.", "The database cannot be reached.");
        }

        return pending.Count == 0
            ? TypedResults.Ok(new HealthResponse("healthy", []))
            : Problems.Create(StatusCodes.Status503ServiceUnavailable, "health.migrations-pending", "Not ready.",
                $"{pending.Count} migration(s) are not applied; run the API with `-- migrate`.",
                new Dictionary<string, object?> { ["pendingMigrations"] = pending });
    }
}
