using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Doses;

public sealed class IdempotencyTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    private static HttpRequestMessage Post(Guid sessionId, object dose, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sessions/{sessionId}/doses") { Content = JsonContent.Create(dose) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task Retry_WithSameKeyAndBody_ReturnsFirstResponseAndStoresOneDose()
    {
        var (_, _, sessionId) = await data.CheckedInSession();
        var key = Guid.NewGuid().ToString();
        var dose = TreatmentData.Iv(35m);

        var first = await data.Nurse.SendAsync(Post(sessionId, dose, key));
        var retry = await data.Nurse.SendAsync(Post(sessionId, dose, key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Single((await data.SessionDetail(sessionId))["doses"]!.AsArray());
    }

    [Fact]
    public async Task ConcurrentRetries_WithOneKey_StoreOneDose()
    {
        var (_, _, sessionId) = await data.CheckedInSession();
        var key = Guid.NewGuid().ToString();
        var dose = TreatmentData.Iv(35m);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => data.Nurse.SendAsync(Post(sessionId, dose, key))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(responses.Select(r => r.Headers.Location).Distinct());
        var session = await data.SessionDetail(sessionId);
        Assert.Single(session["doses"]!.AsArray());
        Assert.Equal(35m, session["doseSummary"]![0]!["totalMg"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task SameKey_WithDifferentBody_Returns422AndStoresNothingNew()
    {
        var (_, _, sessionId) = await data.CheckedInSession();
        var key = Guid.NewGuid().ToString();
        await data.Nurse.SendAsync(Post(sessionId, TreatmentData.Iv(35m), key)).EnsureStatus(HttpStatusCode.Created);

        var response = await data.Nurse.SendAsync(Post(sessionId, TreatmentData.Iv(20m, startMinutesAfterCheckIn: 60), key));

        await response.AssertProblem(HttpStatusCode.UnprocessableEntity, "idempotency.key-reused");
        Assert.Single((await data.SessionDetail(sessionId))["doses"]!.AsArray());
    }

    [Fact]
    public async Task Keys_AreScopedToTheUser()
    {
        var (_, _, sessionId) = await data.CheckedInSession();
        var key = Guid.NewGuid().ToString();

        await data.Nurse.SendAsync(Post(sessionId, TreatmentData.Iv(20m), key)).EnsureStatus(HttpStatusCode.Created);
        await data.Prescriber.SendAsync(Post(sessionId, TreatmentData.Iv(20m, startMinutesAfterCheckIn: 60), key)).EnsureStatus(HttpStatusCode.Created);

        Assert.Equal(2, (await data.SessionDetail(sessionId))["doses"]!.AsArray().Count);
    }

    [Fact]
    public async Task Conflict_WithKey_IsAnsweredAsAConflict_AndNotStored_SoARetryRunsAgain()
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        var sessionId = await data.Session(patientId, planId);
        var key = Guid.NewGuid().ToString();

        // Not checked in yet: 409 session.not-dosable (the key is released in the request's own transaction).
        await (await data.Nurse.SendAsync(Post(sessionId, TreatmentData.Iv(35m), key))).AssertProblem(HttpStatusCode.Conflict, "session.not-dosable");
        await data.CheckIn(sessionId);

        // The state changed: the same key and body now record the dose, once.
        var retry = await data.Nurse.SendAsync(Post(sessionId, TreatmentData.Iv(35m), key));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Created, (await data.Nurse.SendAsync(Post(sessionId, TreatmentData.Iv(35m), key))).StatusCode);
        Assert.Single((await data.SessionDetail(sessionId))["doses"]!.AsArray());
    }

    [Fact]
    public async Task RefusedRequest_IsReplayedAsRefused()
    {
        var (_, _, sessionId) = await data.CheckedInSession(weightKg: 70m);
        var key = Guid.NewGuid().ToString();

        var first = await data.Nurse.SendAsync(Post(sessionId, TreatmentData.Iv(80m), key));
        var retry = await data.Nurse.SendAsync(Post(sessionId, TreatmentData.Iv(80m), key));

        await first.AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.hard-limit");
        await retry.AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.hard-limit");
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
    }
}
