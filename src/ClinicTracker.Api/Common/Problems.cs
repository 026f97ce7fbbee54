using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ClinicTracker.Api.Common;

/// <summary>
/// RFC 9457 problem responses with a stable <c>type</c> and <c>code</c> per problem kind, so clients
/// can branch on the code and never on the human-readable title or detail.
/// </summary>
public static class Problems
{
    /// <summary>The base of every ClinicTracker problem type; the code follows it.</summary>
    public const string TypeBase = "https://clinictracker.dev/problems/";

    public static ProblemHttpResult NotFound(string resource, Guid id) =>
        Create(StatusCodes.Status404NotFound, "not-found", $"The {resource} was not found.", $"No {resource} has id {id}.");

    public static ProblemHttpResult Conflict(string code, string title, string detail) =>
        Create(StatusCodes.Status409Conflict, code, title, detail);

    public static ProblemHttpResult Create(
        int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Type = TypeBase + code,
            Title = title,
            Detail = detail,
        };
        problem.Extensions["code"] = code;
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return TypedResults.Problem(problem);
    }

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(
            errors,
            detail: "See errors for the fields that need correcting.",
            title: "The request is not valid.",
            type: TypeBase + "validation",
            extensions: new Dictionary<string, object?> { ["code"] = "validation" });

    /// <summary>The same 400 validation problem as <see cref="Validation(string, string)"/>, for handlers whose other refusals are problems.</summary>
    public static ProblemHttpResult Invalid(string field, string message) =>
        Create(StatusCodes.Status400BadRequest, "validation", "The request is not valid.", "See errors for the fields that need correcting.",
            new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });

    public static ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Turns a rule's refusal from Core into its problem response.</summary>
public static class RuleViolationExtensions
{
    public static ProblemHttpResult ToProblem(this ClinicTracker.Core.Common.RuleViolation violation) =>
        Problems.Create(
            violation.Kind == ClinicTracker.Core.Common.ViolationKind.Conflict
                ? StatusCodes.Status409Conflict
                : StatusCodes.Status422UnprocessableEntity,
            violation.Code, violation.Title, violation.Detail,
            violation.Extensions?.ToDictionary(e => e.Key, e => e.Value));
}
