using System.Globalization;
using System.Reflection;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ClinicTracker.Api.Common;

/// <summary>
/// Writes what the request validators enforce into the request schemas, so the document and the 400s have
/// one source: unconditional NotNull/NotEmpty → <c>required</c> (NotEmpty also <c>minLength</c>/<c>minItems</c> 1),
/// lengths → <c>minLength</c>/<c>maxLength</c>, InclusiveBetween and comparisons with a constant →
/// <c>minimum</c>/<c>maximum</c>/<c>exclusiveMinimum</c>/<c>exclusiveMaximum</c>, Matches → <c>pattern</c>,
/// ItemCount → <c>minItems</c>/<c>maxItems</c>. Rules under a When/Unless, and rules on the whole request, hold
/// only sometimes and are left to the descriptions. Child validators (SetValidator) describe their own type.
/// </summary>
public sealed class ValidatorConstraintsDocumentFilter(IServiceScopeFactory scopes) : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        using var scope = scopes.CreateScope();
        foreach (var requestType in ValidatedTypes())
        {
            if (scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(requestType)) is not IValidator validator ||
                !context.SchemaRepository.TryLookupByType(requestType, out var reference) ||
                !context.SchemaRepository.Schemas.TryGetValue(reference.Reference.Id!, out var found) ||
                found is not OpenApiSchema { Properties: { } properties } schema)
            {
                continue;
            }

            foreach (var rule in validator.CreateDescriptor().Rules)
            {
                if (rule.Member is not PropertyInfo member || rule.HasCondition || rule.HasAsyncCondition ||
                    ContractSchemaFilter.JsonProperties(requestType).FirstOrDefault(p => p.Member.Name == member.Name).Name is not { } name ||
                    !properties.TryGetValue(name, out var property))
                {
                    continue;
                }

                var forEach = rule.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollectionRule<,>));
                var target = forEach ? (property as OpenApiSchema)?.Items as OpenApiSchema : property as OpenApiSchema;
                foreach (var component in rule.Components.Where(c => !c.HasCondition && !c.HasAsyncCondition))
                {
                    if (!forEach && component.Validator is INotNullValidator or INotEmptyValidator)
                    {
                        schema.Required ??= new HashSet<string>();
                        schema.Required.Add(name);
                    }

                    if (target is not null)
                    {
                        Describe(target, component.Validator);
                    }
                }
            }
        }
    }

    /// <summary>The request types that have a validator in this assembly (public or internal, as DI registers them).</summary>
    private static IEnumerable<Type> ValidatedTypes() =>
        typeof(ValidatorConstraintsDocumentFilter).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false })
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IValidator<>))
            .Select(i => i.GetGenericArguments()[0])
            .Distinct();

    private static void Describe(OpenApiSchema schema, IPropertyValidator validator)
    {
        var isString = schema.Type?.HasFlag(JsonSchemaType.String) == true;
        var isArray = schema.Type?.HasFlag(JsonSchemaType.Array) == true;
        var isNumber = schema.Type is { } type && (type.HasFlag(JsonSchemaType.Number) || type.HasFlag(JsonSchemaType.Integer));
        switch (validator)
        {
            case INotEmptyValidator when isString:
                schema.MinLength = Math.Max(schema.MinLength ?? 0, 1);
                break;
            case INotEmptyValidator when isArray:
                schema.MinItems = Math.Max(schema.MinItems ?? 0, 1);
                break;
            case ILengthValidator length when isString:
                if (length.Min > 0)
                {
                    schema.MinLength = Math.Max(schema.MinLength ?? 0, length.Min);
                }

                if (length.Max > 0)
                {
                    schema.MaxLength = Math.Min(schema.MaxLength ?? int.MaxValue, length.Max);
                }

                break;
            case IItemCountValidator count when isArray:
                schema.MinItems = Math.Max(schema.MinItems ?? 0, count.Min);
                schema.MaxItems = Math.Min(schema.MaxItems ?? int.MaxValue, count.Max);
                break;
            case IRegularExpressionValidator regex when isString:
                schema.Pattern ??= regex.Expression;
                break;
            case IBetweenValidator between when isNumber && Number(between.From) is { } from && Number(between.To) is { } to:
                if (validator is IInclusiveBetweenValidator)
                {
                    (schema.Minimum, schema.Maximum) = (from, to);
                }
                else
                {
                    (schema.ExclusiveMinimum, schema.ExclusiveMaximum) = (from, to);
                }

                break;
            case IComparisonValidator comparison when isNumber && Number(comparison.ValueToCompare) is { } value:
                switch (comparison.Comparison)
                {
                    case Comparison.GreaterThan:
                        schema.ExclusiveMinimum = value;
                        break;
                    case Comparison.GreaterThanOrEqual:
                        schema.Minimum = value;
                        break;
                    case Comparison.LessThan:
                        schema.ExclusiveMaximum = value;
                        break;
                    case Comparison.LessThanOrEqual:
                        schema.Maximum = value;
                        break;
                }

                break;
        }
    }

    private static string? Number(object? value) => value switch
    {
        int or long or short or decimal or double or float => Convert.ToString(value, CultureInfo.InvariantCulture),
        _ => null,
    };
}
