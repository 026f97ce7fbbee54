using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ClinicTracker.Api.Tests.Infrastructure;

/// <summary>Creates the patients a test needs, each with its own MRN, so no test depends on another's rows.</summary>
public static class PatientData
{
    public static object NewPatient(string? mrn = null, string given = "Ada", string family = "Lovelace",
        string dateOfBirth = "1980-12-10", string sex = "female") => new
        {
            mrn = mrn ?? Http.Unique("MRN"),
            givenName = given,
            familyName = family,
            dateOfBirth,
            sex,
            diagnosis = "Treatment-resistant depression: two failed adequate antidepressant trials.",
        };

    public static async Task<JsonObject> Register(HttpClient client, object? patient = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/patients", patient ?? NewPatient());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.ReadObject();
    }
}
