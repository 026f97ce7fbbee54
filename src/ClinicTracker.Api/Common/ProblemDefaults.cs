using System.Diagnostics;

namespace ClinicTracker.Api.Common;

/// <summary>
/// Completes every problem response, including the bodiless 401/403/404/405/415 that status-code pages
/// turn into problems, so each carries the <c>detail</c> and <c>traceId</c> the contract promises.
/// </summary>
public static class ProblemDefaults
{
    public static void Apply(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        // Problems the framework makes (auth, routing, media type, 500) get a ClinicTracker type and code too.
        if (!problem.Extensions.ContainsKey("code") && CodeFor(problem.Status) is { } code)
        {
            problem.Type = Problems.TypeBase + code;
            problem.Extensions["code"] = code;
        }

        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status401Unauthorized => "A valid bearer token is required (Authorization: Bearer <JWT>).",
            StatusCodes.Status403Forbidden => "None of the roles that count for you (the token's, as far as the staff register grants them) may perform this operation.",
            StatusCodes.Status404NotFound => "No resource or route matches this path.",
            StatusCodes.Status405MethodNotAllowed => "This path does not accept this HTTP method.",
            StatusCodes.Status415UnsupportedMediaType => "Send the request body as application/json.",
            _ => problem.Title,
        };
        problem.Extensions.TryAdd("traceId", TraceId(context.HttpContext));
    }

    /// <summary>The id a problem response carries and a log line names, so the two can be matched.</summary>
    public static string TraceId(HttpContext httpContext) => Activity.Current?.Id ?? httpContext.TraceIdentifier;

    private static string? CodeFor(int? status) => status switch
    {
        StatusCodes.Status400BadRequest => "bad-request",
        StatusCodes.Status401Unauthorized => "auth.unauthenticated",
        StatusCodes.Status403Forbidden => "auth.forbidden",
        StatusCodes.Status404NotFound => "not-found",
        StatusCodes.Status405MethodNotAllowed => "method-not-allowed",
        StatusCodes.Status413PayloadTooLarge => "payload-too-large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
        StatusCodes.Status500InternalServerError => "server-error",
        _ => null,
    };
}
