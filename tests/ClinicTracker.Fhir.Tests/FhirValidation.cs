using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace ClinicTracker.Fhir.Tests;

/// <summary>
/// The Firely validator over the offline R4 specification (base resources, data types and the vital-signs profiles);
/// nothing is fetched. One validator for the test run behind a lock: it is not thread-safe, and loading the
/// specification is the slow part (seconds), not validating.
/// </summary>
public static class FhirValidation
{
    private static readonly Lazy<Validator> Shared = new(() =>
    {
        var resolver = new CachedResolver(ZipSource.CreateValidationSource());
        return new Validator(resolver, new LocalTerminologyService(resolver));
    });

    private static readonly Lock Gate = new();

    /// <summary>
    /// The errors of <paramref name="resource"/> against the base definition of its type and against every profile its
    /// meta claims; empty when it is valid. Warnings and information are not errors.
    /// </summary>
    public static IReadOnlyList<string> Errors(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var profiles = new List<string?> { null };
        profiles.AddRange(resource.Meta?.Profile ?? []);
        lock (Gate)
        {
            return [.. profiles.SelectMany(profile => Shared.Value.Validate(resource, profile).Issue
                .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
                .Select(i => $"{resource.TypeName}/{resource.Id} against {profile ?? "base"}: {i.Details?.Text ?? i.Diagnostics} at {string.Join(",", i.Expression)}"))];
        }
    }

    /// <summary>The warnings, for a test that wants none of a kind (e.g. an unknown extension).</summary>
    public static IReadOnlyList<string> Warnings(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        lock (Gate)
        {
            return [.. Shared.Value.Validate(resource).Issue
                .Where(i => i.Severity == OperationOutcome.IssueSeverity.Warning)
                .Select(i => $"{i.Details?.Text ?? i.Diagnostics} at {string.Join(",", i.Expression)}")];
        }
    }
}
