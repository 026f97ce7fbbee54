using System.Text.Json;
using ClinicTracker.Fhir;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;

namespace ClinicTracker.Api.Fhir;

/// <summary>FHIR responses: resources and OperationOutcomes in <c>application/fhir+json</c>, written by the Firely serializer.</summary>
public static class FhirResults
{
    public const string Prefix = "/fhir/r4";

    public static bool IsFhirRequest(HttpRequest request) => request.Path.StartsWithSegments(Prefix, StringComparison.Ordinal);

    /// <summary>The FHIR base as this client called it (scheme, host, path base), for full URLs and links.</summary>
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{Prefix}";

    public static FhirResult Resource(Resource resource, int status = StatusCodes.Status200OK) => new(resource, status);

    /// <summary>An OperationOutcome with the stable problem <paramref name="code"/> the v1 API would use for the same refusal.</summary>
    public static FhirResult Error(int status, string title, string? detail, string code) =>
        new(FhirOutcomes.Error(FhirOutcomes.TypeOf(status), title, detail, code), status);

    /// <summary>404 for a record that does not exist or is not at the caller's sites: the same answer, so existence does not leak.</summary>
    public static FhirResult NotFound(string type, Guid id) =>
        Error(StatusCodes.Status404NotFound, "The resource was not found.", $"{type}/{id} does not exist at your sites.", "not-found");

    public static FhirResult BadRequest(string detail) => Error(StatusCodes.Status400BadRequest, "The request is not valid.", detail, "bad-request");

    internal static async Task WriteAsync(HttpContext http, Resource resource, int status)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = FhirJson.MediaType + "; charset=utf-8";
        await using var writer = new Utf8JsonWriter(http.Response.BodyWriter, FhirJson.WriterOptions);
        FhirJson.Write(resource, writer);
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
    }
}

/// <summary>A FHIR resource as a response; its status is visible to record keeping (the audit row's outcome).</summary>
public sealed class FhirResult(Resource resource, int status) : IResult, IStatusCodeHttpResult
{
    public Resource Resource => resource;

    public int? StatusCode => status;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (resource.Meta?.VersionId is { } version && status == StatusCodes.Status200OK)
        {
            httpContext.Response.Headers.ETag = $"W/\"{version}\"";
        }

        if (resource.Meta?.LastUpdated is { } lastUpdated && status == StatusCodes.Status200OK)
        {
            httpContext.Response.Headers.LastModified = lastUpdated.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }

        return FhirResults.WriteAsync(httpContext, resource, status);
    }
}
