using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Clinicians;
using ClinicTracker.Api.Common;
using ClinicTracker.Api.Patients;
using ClinicTracker.Api.Sites;
using ClinicTracker.Api.Tests.Infrastructure;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Tests.OpenApi;

/// <summary>The request examples Swagger UI offers are bodies the API accepts (issue 13: "a valid body a developer can send as is").</summary>
public sealed class RequestExamplesTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    [Fact]
    public async Task EveryJsonRequestBody_InTheDocument_HasAnExample()
    {
        var document = await ServedDocument.LoadAsync(factory.CreateClient());

        var bodies = 0;
        foreach (var (name, operation) in ServedDocument.Operations(document))
        {
            if (operation["requestBody"]?["content"]?["application/json"] is { } media)
            {
                bodies++;
                Assert.True(media["example"] is JsonObject, $"{name} has no request example.");
            }
        }

        Assert.True(bodies >= 29, $"only {bodies} request bodies");
    }

    [Fact]
    public async Task EveryParameter_InTheDocument_IsDescribed()
    {
        var document = await ServedDocument.LoadAsync(factory.CreateClient());

        var undescribed = ServedDocument.Parameters(document)
            .Where(p => string.IsNullOrWhiteSpace(p.Parameter["description"]?.GetValue<string>()))
            .Select(p => p.Name)
            .ToList();

        Assert.True(undescribed.Count == 0, "Parameters without a description (add a <param> doc to the handler): " + string.Join(", ", undescribed));
    }

    public static TheoryData<string> ExampleTypes() => [.. OpenApiExamples.Requests.Keys.Select(t => t.FullName!)];

    [Theory]
    [MemberData(nameof(ExampleTypes))]
    public async Task EachExample_ReadsStrictly_AndPassesItsValidator(string typeName)
    {
        var (type, json) = OpenApiExamples.Requests.Single(e => e.Key.FullName == typeName);
        var options = factory.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

        // The API's own options: an unknown or misspelt field, or a wrong enum value, throws here as it would be a 400.
        var body = JsonSerializer.Deserialize(json, type, options);
        Assert.NotNull(body);

        using var scope = factory.Services.CreateScope();
        if (scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(type)) is IValidator validator)
        {
            var result = await validator.ValidateAsync(new ValidationContext<object>(body));
            Assert.True(result.IsValid, $"{type.Name}'s example: " + string.Join("; ", result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")));
        }
    }

    [Fact]
    public async Task ExamplesThatNameNoOtherRecord_AreAccepted_AsTheyStand()
    {
        var admin = factory.ClientFor("examples.admin", "admin");
        var frontDesk = factory.ClientFor("examples.front-desk", "front-desk");

        foreach (var (client, path, body) in new[]
        {
            (admin, "/api/v1/sites", Body<CreateSiteRequest>()),
            (admin, "/api/v1/clinicians", Body<RegisterClinicianRequest>()),
            (frontDesk, "/api/v1/patients", Body<RegisterPatientRequest>()),
        })
        {
            var response = await client.PostAsync(path, body);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static StringContent Body<T>() => new(OpenApiExamples.Requests[typeof(T)], Encoding.UTF8, "application/json");
}
