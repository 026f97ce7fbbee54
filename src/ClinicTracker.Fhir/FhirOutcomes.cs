using Hl7.Fhir.Model;

namespace ClinicTracker.Fhir;

/// <summary>Errors as OperationOutcome, the FHIR form of a problem (ids and rules only, never patient data).</summary>
public static class FhirOutcomes
{
    /// <summary>The code system of ClinicTracker's stable problem codes (the v1 API's <c>code</c>, e.g. <c>clinician.not-registered</c>).</summary>
    public const string ProblemCodes = "https://clinictracker.dev/problems";

    /// <summary>
    /// One error issue: the FHIR issue type, a short title, the detail for the integrator, and the same stable problem
    /// code the v1 API would send (as <c>details.coding</c>), when there is one.
    /// </summary>
    public static OperationOutcome Error(OperationOutcome.IssueType type, string title, string? diagnostics, string? code = null) => new()
    {
        Issue =
        [
            new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Error,
                Code = type,
                Details = new CodeableConcept
                {
                    Coding = code is null ? [] : [new Coding(ProblemCodes, code)],
                    Text = title,
                },
                Diagnostics = diagnostics,
            },
        ],
    };

    /// <summary>The issue type of an HTTP status, for problems the framework makes (401, 403, 404, 405, 500…).</summary>
    public static OperationOutcome.IssueType TypeOf(int status) => status switch
    {
        401 => OperationOutcome.IssueType.Login,
        403 => OperationOutcome.IssueType.Forbidden,
        404 or 410 => OperationOutcome.IssueType.NotFound,
        405 or 406 or 415 or 501 => OperationOutcome.IssueType.NotSupported,
        409 or 412 => OperationOutcome.IssueType.Conflict,
        429 => OperationOutcome.IssueType.Throttled,
        503 => OperationOutcome.IssueType.Transient,
        >= 500 => OperationOutcome.IssueType.Exception,
        _ => OperationOutcome.IssueType.Invalid,
    };
}
