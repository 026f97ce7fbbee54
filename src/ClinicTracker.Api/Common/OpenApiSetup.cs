using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ClinicTracker.Api.Common;

/// <summary>Swagger: the document integrators build against (/swagger/v1/swagger.json) and the UI at /swagger.</summary>
public static class OpenApiSetup
{
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddClinicOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "ClinicTracker API",
                Version = "v1",
                Description = "Treatment tracking for ketamine/esketamine depression clinics: patients, plans, sessions, " +
                    "clinician-recorded doses, monitoring, outcomes and adherence. Errors are RFC 9457 problem details " +
                    "with a stable `code`.",
            });
            options.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT whose name is the acting user and whose role claims carry the roles of domain.md §9. " +
                    "Development: `dotnet user-jwts create --project src/ClinicTracker.Api --name <user> --role <role>`.",
            });
            options.OperationFilter<AuthorizationOperationFilter>();
            options.OperationFilter<IdempotencyKeyOperationFilter>();
            options.SupportNonNullableReferenceTypes();
            options.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "ClinicTracker.Api.xml"), includeControllerXmlComments: false);
        });
        return services;
    }

    /// <summary>Documents the optional Idempotency-Key header on operations that honour it.</summary>
    private sealed class IdempotencyKeyOperationFilter : IOperationFilter
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

    /// <summary>Declares the bearer requirement and the 401/403 problems on every operation that is not anonymous.</summary>
    private sealed class AuthorizationOperationFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any())
            {
                return;
            }

            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
            });
            operation.Responses ??= [];
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No valid bearer token." });
            operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The token lacks a role this operation needs." });
        }
    }
}
