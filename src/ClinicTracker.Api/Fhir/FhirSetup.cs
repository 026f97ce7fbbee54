using ClinicTracker.Api.Common;
using ClinicTracker.Core.Common;
using ClinicTracker.Fhir;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Fhir;

/// <summary>The <c>Fhir</c> section (docs/operations.md, docs/fhir.md).</summary>
public sealed class FhirOptions : IValidatableOptions
{
    public const string Section = "Fhir";

    /// <summary>
    /// The clinic's canonical FHIR base: it names the MRN, staff and site identifier systems and the local code systems
    /// (domain.md §11), so it must stay the same across instances and over time. Set it to the public URL of /fhir/r4.
    /// </summary>
    public string CanonicalBase { get; set; } = "https://clinictracker.example/fhir/r4";

    /// <summary>Bulk export (ADR 0019).</summary>
    public FhirExportOptions Export { get; set; } = new();

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(CanonicalBase, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            problems.Add("Fhir:CanonicalBase must be an absolute http(s) URL.");
        }

        if (Export.RetentionHours is < 1 or > 24 * 30)
        {
            problems.Add("Fhir:Export:RetentionHours must be between 1 and 720.");
        }

        if (Export.PatientsPerBatch is < 1 or > 2000)
        {
            problems.Add("Fhir:Export:PatientsPerBatch must be between 1 and 2000.");
        }

        if (Export.PollSeconds is < 1 or > 3600)
        {
            problems.Add("Fhir:Export:PollSeconds must be between 1 and 3600.");
        }

        return problems;
    }
}

public sealed class FhirExportOptions
{
    /// <summary>How long a finished export's files stay downloadable before the clean-up removes them.</summary>
    public int RetentionHours { get; set; } = 24;

    /// <summary>Patients exported per unit of work: one transaction writes their files and moves the job's position.</summary>
    public int PatientsPerBatch { get; set; } = 200;

    /// <summary>How often each instance looks for queued exports and expired files.</summary>
    public int PollSeconds { get; set; } = 5;
}

public static class FhirSetup
{
    public static IServiceCollection AddClinicFhir(this IServiceCollection services)
    {
        services.AddClinicalOptions<FhirOptions>(FhirOptions.Section);
        services.AddSingleton(sp => new FhirMapper(
            new FhirSystems(sp.GetRequiredService<IOptions<FhirOptions>>().Value.CanonicalBase), sp.GetRequiredService<TimeProvider>()));
        // Before AddProblemDetails: the first writer that accepts a context writes it, so /fhir gets OperationOutcome.
        services.AddSingleton<IProblemDetailsWriter, FhirProblemWriter>();
        return services;
    }
}

/// <summary>
/// Every problem on a /fhir path — the framework's 401/403/404/405, a malformed request, a 500 — written as an
/// OperationOutcome in <c>application/fhir+json</c>, the form FHIR clients read errors in.
/// </summary>
internal sealed class FhirProblemWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => FhirResults.IsFhirRequest(context.HttpContext.Request);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Status = status;
        // The same detail the v1 API's problems carry (ProblemDefaults), e.g. what a 401 or 403 means here.
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var outcome = FhirOutcomes.Error(FhirOutcomes.TypeOf(status),
            problem.Title ?? Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), problem.Detail,
            problem.Extensions.TryGetValue("code", out var code) ? code as string : null);
        return new ValueTask(FhirResults.WriteAsync(context.HttpContext, outcome, status));
    }
}
