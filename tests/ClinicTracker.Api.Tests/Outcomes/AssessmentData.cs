using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Outcomes;

/// <summary>Answers with a chosen total, and assessments recorded through the API.</summary>
public static class AssessmentData
{
    /// <summary>
    /// PHQ-9 answers summing to <paramref name="total"/>: item 9 is <paramref name="item9"/> and the rest is
    /// filled 3, 3, … from item 1 (total 10, item 9 = 0 → 3,3,3,1,0,0,0,0,0).
    /// </summary>
    public static int[] Phq9(int total, int item9 = 0) => Fill(9, 3, total - item9, lastItem: item9);

    /// <summary>MADRS answers summing to <paramref name="total"/>, filled 6, 6, … from item 1.</summary>
    public static int[] Madrs(int total) => Fill(10, 6, total, lastItem: null);

    private static int[] Fill(int count, int max, int rest, int? lastItem)
    {
        var items = new int[count];
        var fillable = lastItem is null ? count : count - 1;
        for (var i = 0; i < fillable; i++)
        {
            items[i] = Math.Min(max, rest);
            rest -= items[i];
        }

        Assert.Equal(0, rest);
        if (lastItem is { } last)
        {
            items[count - 1] = last;
        }

        return items;
    }

    public static Task<HttpResponseMessage> Post(HttpClient client, Guid patientId, string instrument, int[] items,
        DateTimeOffset assessedAt, int? total = null) =>
        client.PostAsJsonAsync($"/api/v1/patients/{patientId}/assessments", new { instrument, items, assessedAt, total });

    public static async Task<JsonObject> Record(HttpClient client, Guid patientId, string instrument, int[] items, DateTimeOffset assessedAt) =>
        await (await Post(client, patientId, instrument, items, assessedAt).EnsureStatus(HttpStatusCode.Created)).ReadObject();

    public static async Task<JsonObject> Outcomes(HttpClient client, Guid patientId, Guid? planId = null) =>
        await (await client.GetAsync($"/api/v1/patients/{patientId}/outcomes" + (planId is null ? "" : $"?planId={planId}"))
            .EnsureStatus(HttpStatusCode.OK)).ReadObject();

    public static JsonObject Instrument(JsonObject outcomes, string instrument) =>
        outcomes["instruments"]!.AsArray().Single(i => i!["instrument"]!.GetValue<string>() == instrument)!.AsObject();
}
