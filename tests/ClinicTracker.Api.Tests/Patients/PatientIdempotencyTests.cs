using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Patients;

/// <summary>
/// A registration whose answer was lost (a timeout, a cut connection, a killed instance) is retried with its
/// Idempotency-Key, as api.md tells clients to: the retry must get the first 201, not a 409 about its own MRN.
/// </summary>
public sealed class PatientIdempotencyTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private static HttpRequestMessage Register(object patient, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/patients") { Content = JsonContent.Create(patient) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task Retry_WithSameKeyAndBody_ReturnsTheFirst201AndStoresOnePatient()
    {
        var frontDesk = factory.ClientFor("fd.jones", "front-desk");
        var patient = PatientData.NewPatient();
        var key = Guid.NewGuid().ToString();

        var first = await frontDesk.SendAsync(Register(patient, key));
        var retry = await frontDesk.SendAsync(Register(patient, key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.True(retry.StatusCode == HttpStatusCode.Created, $"The retry got {(int)retry.StatusCode}: {await retry.Content.ReadAsStringAsync()}");
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SameMrn_WithAnotherKey_IsStillADuplicate()
    {
        var frontDesk = factory.ClientFor("fd.jones", "front-desk");
        var patient = PatientData.NewPatient();

        await frontDesk.SendAsync(Register(patient, Guid.NewGuid().ToString())).EnsureStatus(HttpStatusCode.Created);
        var second = await frontDesk.SendAsync(Register(patient, Guid.NewGuid().ToString()));

        await second.AssertProblem(HttpStatusCode.Conflict, "patient.duplicate-mrn");
    }
}
