using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ClinicTracker.Api.Common;

/// <summary>
/// Makes each contract schema say what the CLR type says. A nullable property whose schema is a reference
/// (an enum or a nested record) becomes <c>oneOf: [$ref, {type: null}]</c>; Swashbuckle leaves such a
/// property as a bare <c>$ref</c>, which refuses the nulls the API sends. Problem details get the members
/// the API always writes (ProblemDefaults).
/// </summary>
public sealed class ContractSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete)
        {
            return;
        }

        if (typeof(ProblemDetails).IsAssignableFrom(context.Type))
        {
            DescribeProblem(concrete, validation: typeof(HttpValidationProblemDetails).IsAssignableFrom(context.Type));
            return;
        }

        if (concrete.Properties is not { Count: > 0 } properties)
        {
            return;
        }

        foreach (var propertySchema in properties.Values.OfType<OpenApiSchema>())
        {
            LimitFormattedString(propertySchema);
            LimitFormattedString(propertySchema.Items as OpenApiSchema);
        }

        foreach (var property in JsonProperties(context.Type))
        {
            if (properties.TryGetValue(property.Name, out var propertySchema) && propertySchema is OpenApiSchemaReference reference &&
                AcceptsNull(property.Member))
            {
                properties[property.Name] = new OpenApiSchema
                {
                    Description = reference.Description,
                    OneOf = [new OpenApiSchemaReference(reference.Reference.Id!, reference.Reference.HostDocument), new OpenApiSchema { Type = JsonSchemaType.Null }],
                };
            }
        }
    }

    /// <summary>
    /// Ids, dates and instants are no longer than their forms (QueryLimits): the JSON reader refuses a longer one.
    /// </summary>
    private static void LimitFormattedString(OpenApiSchema? schema)
    {
        if (schema is { Type: { } type } && type.HasFlag(JsonSchemaType.String) && schema.MaxLength is null)
        {
            schema.MaxLength = QueryLimits.LengthOf(schema.Format);
        }
    }

    /// <summary>The serialized properties of a contract type with their JSON names (camelCase, as JsonSetup writes them).</summary>
    internal static IEnumerable<(string Name, PropertyInfo Member)> JsonProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always })
            .Select(p => (p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name), p));

    /// <summary>
    /// Null is a valid value: a nullable type (Nullable&lt;T&gt; or an annotated reference) that a request does not
    /// mark [Required] (a required request field refuses null with a 400 naming it).
    /// </summary>
    internal static bool AcceptsNull(PropertyInfo property) =>
        property.GetCustomAttribute<RequiredAttribute>() is null &&
        (Nullable.GetUnderlyingType(property.PropertyType) is not null ||
         (!property.PropertyType.IsValueType &&
         // NullabilityInfoContext caches without locks: one per question, as documents are generated in parallel.
         new NullabilityInfoContext().Create(property).ReadState == NullabilityState.Nullable));

    /// <summary>RFC 9457 problem details as the API writes them: ProblemDefaults adds detail, code and traceId to every one.</summary>
    private static void DescribeProblem(OpenApiSchema schema, bool validation)
    {
        schema.Description = validation
            ? "An RFC 9457 problem for a request that is not valid (code `validation`): `errors` names each field with its messages."
            : "An RFC 9457 problem. Branch on `status` and `code`; rule refusals add the numbers that decided them as further members.";
        schema.Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI naming the problem kind: https://clinictracker.dev/problems/{code}." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short human-readable summary; do not branch on it." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status code." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What happened in this case." },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI of this occurrence, when there is one." },
            ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The stable problem code (docs/api.md, Error codes)." },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The id the server log shows for the same request." },
        };
        if (validation)
        {
            schema.Properties["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Messages per field (JSON path of the field, e.g. `phases[0].name`, or `body`).",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
        }

        schema.Required = new HashSet<string>(validation
            ? ["type", "title", "status", "detail", "code", "traceId", "errors"]
            : ["type", "title", "status", "detail", "code", "traceId"]);
        schema.AdditionalPropertiesAllowed = true;
        schema.AdditionalProperties = null;
    }
}

/// <summary>
/// Response records are serialized with every property present (JsonSetup: nulls are written, never
/// omitted), so each property of a type that only responses carry is <c>required</c>, unless the property
/// opts out with a conditional [JsonIgnore]. Request types keep the <c>required</c> list of their [Required] fields.
/// </summary>
public sealed class ResponseRequiredDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var requestTypes = Reachable(context.ApiDescriptions
            .SelectMany(d => d.ParameterDescriptions).Where(p => p.Source == BindingSource.Body).Select(p => p.Type));
        var responseTypes = Reachable(context.ApiDescriptions.SelectMany(d => d.SupportedResponseTypes).Select(r => r.Type));
        foreach (var type in responseTypes.Except(requestTypes))
        {
            if (!IsContract(type) ||
                !context.SchemaRepository.TryLookupByType(type, out var reference) ||
                !context.SchemaRepository.Schemas.TryGetValue(reference.Reference.Id!, out var found) ||
                found is not OpenApiSchema { Properties.Count: > 0 } schema)
            {
                continue;
            }

            schema.Required = new HashSet<string>(ContractSchemaFilter.JsonProperties(type)
                .Where(p => p.Member.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: not JsonIgnoreCondition.Never })
                .Select(p => p.Name)
                .Where(schema.Properties.ContainsKey));
        }
    }

    /// <summary>Our own records (Api and Core), not framework types such as ProblemDetails.</summary>
    private static bool IsContract(Type type) => type.Namespace?.StartsWith("ClinicTracker.", StringComparison.Ordinal) == true && !type.IsEnum;

    /// <summary>The types these types are made of: themselves, their properties' types, element and generic argument types.</summary>
    private static HashSet<Type> Reachable(IEnumerable<Type?> roots)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(roots.OfType<Type>());
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type) || type.IsPrimitive || type == typeof(string))
            {
                continue;
            }

            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                pending.Push(argument);
            }

            if (type.IsArray)
            {
                pending.Push(type.GetElementType()!);
            }

            if (IsContract(type))
            {
                foreach (var (_, member) in ContractSchemaFilter.JsonProperties(type))
                {
                    pending.Push(member.PropertyType);
                }
            }
        }

        return seen;
    }
}
