using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;

namespace ClinicTracker.Api.Common;

/// <summary>
/// Swagger: the document integrators build against (/swagger/v1/swagger.json) and the UI at /swagger.
/// What the document claims is derived, not written per operation: nullability and <c>required</c> from the
/// contract types (<see cref="ContractSchemaFilter"/>), lengths, ranges and counts from the request validators
/// (<see cref="ValidatorConstraintsDocumentFilter"/>), and the problem responses every operation can give from
/// its endpoint metadata (<see cref="ProblemResponsesOperationFilter"/>). A test checks real responses against it.
/// </summary>
public static class OpenApiSetup
{
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddClinicOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        // OpenAPI 3.1: its schemas are JSON Schema 2020-12, so a nullable reference is exactly
        // `oneOf: [$ref, {type: null}]`. OpenAPI 3.0's `nullable` has no effect beside a bare $ref or allOf.
        services.Configure<SwaggerOptions>(o => o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1);
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "ClinicTracker API",
                Version = "v1",
                Description = "Treatment tracking for ketamine/esketamine depression clinics: patients, plans, sessions, " +
                    "clinician-recorded doses, monitoring, outcomes and adherence. Errors are RFC 9457 problem details " +
                    "with a stable `code`. Every operation can answer 429 when the caller exceeds the rate limit " +
                    "(`Retry-After`, `RateLimit-Policy` and `RateLimit` headers). The same record is also served as FHIR R4 " +
                    "(read, search, `$everything`, bulk `$export`) under `/fhir/r4`, described by its CapabilityStatement at " +
                    "`/fhir/r4/metadata`, not by this document (docs/fhir.md).",
            });
            options.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT whose name is the acting user and whose role claims carry the roles of domain.md §9. " +
                    "Tokens are checked as RFC8725 (JWT Best Current Practices) asks: the signature against an allow-list of " +
                    "algorithms (never `none`), the issuer, the audience and the lifetime (30 s of clock skew). " +
                    "Development: `dotnet user-jwts create --project src/ClinicTracker.Api --name <user> --role <role>`.",
            });
            options.SchemaFilter<ContractSchemaFilter>();
            options.OperationFilter<ProblemResponsesOperationFilter>();
            options.OperationFilter<IdempotencyKeyOperationFilter>();
            options.OperationFilter<RequestExamplesOperationFilter>();
            options.OperationFilter<InputLimitsOperationFilter>();
            options.OperationFilter<Reports.AlternateMediaTypeOperationFilter>();
            options.DocumentFilter<ValidatorConstraintsDocumentFilter>();
            options.DocumentFilter<ResponseRequiredDocumentFilter>();
            options.SupportNonNullableReferenceTypes();
            options.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "ClinicTracker.Api.xml"), includeControllerXmlComments: false);
        });
        return services;
    }
}
