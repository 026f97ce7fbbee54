using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ClinicTracker.Api.Reports;

/// <summary>
/// A second representation of an operation's response, chosen by the Accept header (content negotiation on one route).
/// The endpoint metadata of minimal APIs keeps one response type per status, so the JSON comes from the handler's
/// <c>Ok&lt;T&gt;</c> and this adds the other media type beside it (<see cref="AlternateMediaTypeOperationFilter"/>).
/// </summary>
/// <param name="Status">The status whose response has the second representation.</param>
/// <param name="MediaType">Its media type, e.g. <c>image/svg+xml</c>.</param>
/// <param name="Description">What the representation is, for the document.</param>
public sealed record AlternateMediaTypeMetadata(int Status, string MediaType, string Description);

public static class AlternateMediaTypeExtensions
{
    /// <summary>Declares that the <paramref name="status"/> response is also served as <paramref name="mediaType"/> (a string body).</summary>
    public static RouteHandlerBuilder AlsoProduces(this RouteHandlerBuilder builder, int status, string mediaType, string description) =>
        builder.WithMetadata(new AlternateMediaTypeMetadata(status, mediaType, description));
}

/// <summary>Adds each <see cref="AlternateMediaTypeMetadata"/> of an endpoint to its response's content, as a string body.</summary>
public sealed class AlternateMediaTypeOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        foreach (var alternate in context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<AlternateMediaTypeMetadata>())
        {
            var key = alternate.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses?.TryGetValue(key, out var declared) != true || declared is not OpenApiResponse response)
            {
                continue;
            }

            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            response.Content[alternate.MediaType] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = alternate.Description },
            };
            response.Description = $"{response.Description} With `Accept: {alternate.MediaType}`: {alternate.Description}".Trim();
        }
    }
}
