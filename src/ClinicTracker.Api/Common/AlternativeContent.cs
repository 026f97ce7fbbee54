using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ClinicTracker.Api.Common;

/// <summary>
/// A second representation of a response (CSV, SVG) that a client asks for with <c>Accept</c>: content negotiation on
/// one route. Minimal APIs keep one response type per status, so the JSON comes from the handler's <c>Ok&lt;T&gt;</c>
/// and <see cref="AlternativeContentOperationFilter"/> adds this one beside it in the document.
/// </summary>
/// <param name="Status">The response status it belongs to.</param>
/// <param name="MediaType">Its media type.</param>
/// <param name="Description">What it holds, added to the response's description.</param>
public sealed record AlternativeContentMetadata(int Status, string MediaType, string Description);

public static class AlternativeContent
{
    /// <summary>Declares that <paramref name="status"/> also comes as <paramref name="mediaType"/> (a string body) when asked for.</summary>
    public static RouteHandlerBuilder WithAlternativeContent(this RouteHandlerBuilder builder, int status, string mediaType, string description) =>
        builder.WithMetadata(new AlternativeContentMetadata(status, mediaType, description));
}

/// <summary>Content negotiation for the few routes with a second representation: JSON unless the client prefers the other.</summary>
public static class ContentNegotiation
{
    /// <summary>
    /// Whether <c>Accept</c> rates <paramref name="mediaType"/> above JSON (RFC 9110 §12.5.1 quality values): named and not
    /// refused (q=0), and rated higher than <c>application/json</c> when both are named. A tie keeps JSON.
    /// </summary>
    public static bool Prefers(HttpRequest request, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.GetTypedHeaders().Accept;
        double Quality(string type) => accept.Where(a => a.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase))
            .Select(a => a.Quality ?? 1d).DefaultIfEmpty(-1d).Max();
        var wanted = Quality(mediaType);
        return wanted > 0 && wanted > Quality("application/json");
    }
}

/// <summary>Adds each <see cref="AlternativeContentMetadata"/> to its response in the document, as a string body.</summary>
public sealed class AlternativeContentOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var alternative in context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<AlternativeContentMetadata>())
        {
            var key = alternative.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses?.TryGetValue(key, out var response) != true || response is not OpenApiResponse concrete)
            {
                continue;
            }

            concrete.Content ??= new Dictionary<string, OpenApiMediaType>();
            concrete.Content[alternative.MediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            concrete.Description = $"{concrete.Description} As `{alternative.MediaType}` (send `Accept: {alternative.MediaType}`): {alternative.Description}";
        }
    }
}
