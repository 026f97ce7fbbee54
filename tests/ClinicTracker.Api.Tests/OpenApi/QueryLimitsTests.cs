using System.Net;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Common;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.OpenApi;

/// <summary>Query values are held to the length the document states (QueryLimits), before any handler reads them.</summary>
public sealed class QueryLimitsTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    [Fact]
    public async Task AQueryValueLongerThanTheLimit_IsA400NamingIt_AndOneAtTheLimitIsRead()
    {
        var frontDesk = factory.ClientFor("query-limits.front-desk", "front-desk");

        var atLimit = await frontDesk.GetAsync("/api/v1/patients?search=" + new string('a', QueryLimits.MaxValueLength));
        var tooLong = await frontDesk.GetAsync("/api/v1/patients?search=" + new string('a', QueryLimits.MaxValueLength + 1));

        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var problem = JsonNode.Parse(await tooLong.Content.ReadAsStringAsync())!;
        Assert.Equal("validation", problem["code"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["search"]);
    }

    [Fact]
    public async Task TheDocument_StatesTheLimit_OnEveryStringParameter()
    {
        var document = await ServedDocument.LoadAsync(factory.CreateClient());

        var unlimited = ServedDocument.Parameters(document)
            .Where(p => p.Parameter["schema"]!["type"]?.ToJsonString().Contains("string", StringComparison.Ordinal) == true &&
                p.Parameter["schema"]!["maxLength"] is null && p.Parameter["schema"]!["enum"] is null)
            .Select(p => p.Name)
            .ToList();

        Assert.True(unlimited.Count == 0, "String parameters without maxLength or enum: " + string.Join(", ", unlimited));
        var history = document["paths"]!["/api/v1/patients/{patientId}/sessions"]!["get"]!["parameters"]!.AsArray();
        Assert.Equal(["scheduled", "checked-in", "in-progress", "completed", "cancelled", "no-show", "held"],
            history.Single(p => p!["name"]!.GetValue<string>() == "status")!["schema"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }
}
