using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ClinicTracker.Api.Common;

/// <summary>A query string that names a value of <paramref name="type"/> in kebab case (QueryValues.TryEnum): the document lists the values.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class QueryEnumAttribute(Type type) : Attribute
{
    public Type Type { get; } = type;
}

/// <summary>A query string read as a date (<c>date</c>, QueryValues.TryDate) or an instant (<c>date-time</c>, QueryValues.TryInstant).</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class QueryFormatAttribute(string format) : Attribute
{
    public string Format { get; } = format;
}

/// <summary>
/// The sizes of what a client sends in the URL. Every query value is at most <see cref="MaxValueLength"/> characters
/// (<see cref="UseQueryLimits"/> refuses longer ones with a 400 naming the parameter, before any handler reads it),
/// ids are GUIDs, and dates, instants and enum values are no longer than their forms. The OpenAPI document states
/// the same limits (<see cref="InputLimitsOperationFilter"/>), so a linter and a client see what the server holds to.
/// </summary>
public static class QueryLimits
{
    /// <summary>Longer than any search, cursor or user name the API reads; far below the server's 8 KiB request line.</summary>
    public const int MaxValueLength = 256;

    /// <summary>A GUID in its canonical form (8-4-4-4-12).</summary>
    public const int GuidLength = 36;

    /// <summary>yyyy-MM-dd.</summary>
    public const int DateLength = 10;

    /// <summary>The longest ISO 8601 instant System.Text.Json reads (2026-03-04T14:00:00.0000000+00:00 is 33).</summary>
    public const int InstantLength = 42;

    /// <summary>The longest a string of this OpenAPI format can be (uuid, date, date-time); null for other formats.</summary>
    public static int? LengthOf(string? format) => format switch
    {
        "uuid" => GuidLength,
        "date" => DateLength,
        "date-time" => InstantLength,
        _ => null,
    };

    public static IApplicationBuilder UseQueryLimits(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        foreach (var (name, values) in http.Request.Query)
        {
            if (values.Any(v => v?.Length > MaxValueLength))
            {
                await Problems.Invalid(name, $"{name} is longer than {MaxValueLength} characters.").ExecuteAsync(http);
                return;
            }
        }

        await next(http);
    });
}

/// <summary>States the input limits of <see cref="QueryLimits"/> on every route and query parameter.</summary>
public sealed class InputLimitsOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Schema is not OpenApiSchema schema || schema.Type is not { } type || !type.HasFlag(JsonSchemaType.String))
            {
                continue;
            }

            var info = (context.ApiDescription.ParameterDescriptions.FirstOrDefault(d => d.Name == parameter.Name)?.ParameterDescriptor
                as IParameterInfoParameterDescriptor)?.ParameterInfo;
            if (info?.GetCustomAttribute<QueryEnumAttribute>() is { } values)
            {
                schema.Enum = [.. Enum.GetNames(values.Type).Select(n => (JsonNode)JsonValue.Create(JsonNamingPolicy.KebabCaseLower.ConvertName(n)))];
                continue;
            }

            schema.Format ??= info?.GetCustomAttribute<QueryFormatAttribute>()?.Format;
            schema.MaxLength = QueryLimits.LengthOf(schema.Format) ?? QueryLimits.MaxValueLength;
        }
    }
}
