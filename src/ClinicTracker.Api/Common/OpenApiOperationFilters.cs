using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ClinicTracker.Api.Common;

/// <summary>
/// Declares the problem responses an operation can give because of what it is, read from its endpoint
/// metadata rather than listed per route: 401/403/503 for operations that need authorization, 400/413/415 for
/// those that take a JSON body, 400 for query parameters that fail to bind, 404 for routes with ids, 429 for
/// every rate-limited operation (all, unless [DisableRateLimiting]), with <c>Retry-After</c>,
/// <c>RateLimit-Policy</c> and <c>RateLimit</c>. Each is <c>application/problem+json</c> with the shared
/// ProblemDetails schema; a problem an endpoint already declares keeps its description. Each problem response
/// also names the <c>code</c> values it can carry (those of its kind here, and the endpoint's own from
/// <see cref="ProblemCodesMetadata"/>) as the enum of <c>code</c>, and the operation's description lists them all.
/// </summary>
public sealed class ProblemResponsesOperationFilter : IOperationFilter
{
    public const string ProblemJson = "application/problem+json";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var description = context.ApiDescription;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= [];
        var codes = new SortedDictionary<int, SortedSet<string>>();

        if (!metadata.OfType<IAllowAnonymous>().Any() && metadata.OfType<IAuthorizeData>().Any())
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(OpenApiSetup.BearerScheme, context.Document)] = [],
            });
            Declare(operation, context, codes, StatusCodes.Status401Unauthorized, "No valid bearer token (code `auth.unauthenticated`).", codes: ["auth.unauthenticated"]);
            Declare(operation, context, codes, StatusCodes.Status403Forbidden,
                "No role that counts for the caller may call this operation (`auth.forbidden`: a token's role counts only where " +
                "the staff register grants it), or the caller has no active staff-register entry (`clinician.not-registered`).",
                codes: ["auth.forbidden", "clinician.not-registered"]);
            Declare(operation, context, codes, StatusCodes.Status503ServiceUnavailable,
                "The database cannot be reached or could not take the audit row (`database.unavailable`): nothing was stored; " +
                "send the same request again after `Retry-After` seconds (a write with the same `Idempotency-Key`).",
                codes: ["database.unavailable"]);
        }

        var parameters = description.ParameterDescriptions;
        if (parameters.Any(p => p.Source == BindingSource.Body))
        {
            Declare(operation, context, codes, StatusCodes.Status400BadRequest, "The body is not valid: malformed JSON, a wrong type, an unknown field or a rule of the request.", validation: true, codes: ["validation"]);
            Declare(operation, context, codes, StatusCodes.Status413PayloadTooLarge, "The body is larger than the configured limit (`payload-too-large`).", codes: ["payload-too-large"]);
            Declare(operation, context, codes, StatusCodes.Status415UnsupportedMediaType, "The body is not sent as application/json (`unsupported-media-type`).", codes: ["unsupported-media-type"]);
        }

        if (parameters.Any(p => p.Source == BindingSource.Query))
        {
            Declare(operation, context, codes, StatusCodes.Status400BadRequest, "A query parameter is malformed or out of range (`validation`, naming it).", validation: true, codes: ["validation"]);
        }

        if (parameters.Any(p => p.Source == BindingSource.Path))
        {
            Declare(operation, context, codes, StatusCodes.Status404NotFound, "No resource has this id (`not-found`).", codes: ["not-found"]);
        }

        if (!metadata.OfType<DisableRateLimitingAttribute>().Any())
        {
            Declare(operation, context, codes, StatusCodes.Status429TooManyRequests,
                "The caller has used up its requests for the current window (`rate-limited`); retry after `Retry-After` seconds.",
                codes: ["rate-limited"]);
            var response = (OpenApiResponse)operation.Responses["429"]!;
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            foreach (var (name, header) in RateLimitHeaders.Describe())
            {
                response.Headers[name] = header;
            }
        }

        foreach (var (_, declared) in operation.Responses)
        {
            // Problems that endpoints declare with ProducesProblem get the same schema and media type.
            if (declared is OpenApiResponse { Content: { } content } && content.TryGetValue(ProblemJson, out var media) &&
                media.Schema is OpenApiSchemaReference { Reference.Id: "ProblemDetails" or "HttpValidationProblemDetails" })
            {
                content.Remove("application/json");
            }
        }

        if (metadata.OfType<IdempotentMetadata>().Any())
        {
            Declare(operation, context, codes, StatusCodes.Status422UnprocessableEntity,
                "The `Idempotency-Key` was used before with another body (`idempotency.key-reused`).", codes: ["idempotency.key-reused"]);
        }

        foreach (var declared in metadata.OfType<ProblemCodesMetadata>())
        {
            Codes(codes, declared.Status).UnionWith(declared.Codes);
        }

        if (operation.Responses.ContainsKey("404"))
        {
            // A record named in the body (a site, a plan) that does not exist is the same `not-found` as one in the path.
            Codes(codes, StatusCodes.Status404NotFound).Add("not-found");
        }

        DescribeCodes(operation, context, codes);
        DescribePaging(operation);
    }

    private static SortedSet<string> Codes(SortedDictionary<int, SortedSet<string>> codes, int status) =>
        codes.TryGetValue(status, out var set) ? set : codes[status] = new SortedSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Each problem response's schema becomes the shared problem schema with <c>code</c> limited to its codes
    /// (a typed client gets a union of literals), and the operation's description ends with the list per status.
    /// </summary>
    private static void DescribeCodes(OpenApiOperation operation, OperationFilterContext context, SortedDictionary<int, SortedSet<string>> codes)
    {
        var listed = new List<string>();
        foreach (var (status, set) in codes)
        {
            var key = status.ToString(CultureInfo.InvariantCulture);
            if (set.Count == 0 || operation.Responses![key] is not OpenApiResponse { Content: { } content } ||
                !content.TryGetValue(ProblemJson, out var media) || media.Schema is not OpenApiSchemaReference reference)
            {
                continue;
            }

            media.Schema = new OpenApiSchema
            {
                AllOf =
                [
                    new OpenApiSchemaReference(reference.Reference.Id!, context.Document),
                    new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["code"] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.String,
                                Enum = [.. set.Select(c => (JsonNode)JsonValue.Create(c))],
                            },
                        },
                    },
                ],
            };
            var list = string.Join(", ", set.Select(c => $"`{c}`"));
            if (operation.Responses[key] is OpenApiResponse response && response.Description == ReasonPhrase(status))
            {
                // Declared by the endpoint for its own rules: say which.
                response.Description = $"{ReasonPhrase(status)}: {list}.";
            }

            listed.Add($"{key}: {list}");
        }

        if (listed.Count > 0)
        {
            var codeList = "Problem codes (docs/api.md, Error codes):\n" + string.Join("\n", listed.Select(l => "- " + l));
            operation.Description = string.IsNullOrEmpty(operation.Description) ? codeList : operation.Description + "\n\n" + codeList;
        }
    }

    private static void Declare(OpenApiOperation operation, OperationFilterContext context, SortedDictionary<int, SortedSet<string>> byStatus,
        int status, string description, bool validation = false, string[]? codes = null)
    {
        Codes(byStatus, status).UnionWith(codes ?? []);
        var key = status.ToString(CultureInfo.InvariantCulture);
        var schemaType = validation ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
        if (operation.Responses!.TryGetValue(key, out var existing) && existing is OpenApiResponse { Content: { } content } declared &&
            content.ContainsKey(ProblemJson))
        {
            // Declared by the endpoint (ProducesProblem): keep it, with a description better than the reason phrase.
            if (declared.Description is null || declared.Description == ReasonPhrase(status))
            {
                declared.Description = description;
            }

            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = existing?.Description is { Length: > 0 } known && known != ReasonPhrase(status) ? known : description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new() { Schema = context.SchemaGenerator.GenerateSchema(schemaType, context.SchemaRepository) },
            },
        };
    }

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    /// <summary>Lists are pages (Paging): <c>limit</c> is 1–200, 50 when absent.</summary>
    private static void DescribePaging(OpenApiOperation operation)
    {
        if (operation.Parameters?.FirstOrDefault(p => p is { Name: "limit", In: ParameterLocation.Query }) is OpenApiParameter { Schema: OpenApiSchema limit } parameter)
        {
            limit.Minimum = "1";
            limit.Maximum = Paging.MaxLimit.ToString(CultureInfo.InvariantCulture);
            limit.Default = JsonValue.Create(Paging.DefaultLimit);
            parameter.Description ??= $"Items per page, 1–{Paging.MaxLimit} (default {Paging.DefaultLimit}).";
        }

        if (operation.Parameters?.FirstOrDefault(p => p is { Name: "cursor", In: ParameterLocation.Query }) is OpenApiParameter cursor)
        {
            cursor.Description ??= "The nextCursor of the previous page; omit for the first page.";
        }
    }
}

/// <summary>Documents the optional Idempotency-Key header on operations that honour it.</summary>
public sealed class IdempotencyKeyOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IdempotentMetadata>().Any())
        {
            return;
        }

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Idempotency.Header,
            In = ParameterLocation.Header,
            Required = false,
            Description = "A unique key per intended record (e.g. a UUID). A retry with the same key and body returns the " +
                "first response and stores nothing new; the same key with another body is a 422. Kept 48 hours.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
        });
    }
}
