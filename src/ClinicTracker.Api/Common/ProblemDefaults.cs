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
        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status401Unauthorized => "A valid bearer token is required (Authorization: Bearer <JWT>).",
            StatusCodes.Status403Forbidden => "None of the token's roles may perform this operation.",
            StatusCodes.Status404NotFound => "No resource or route matches this path.",
            StatusCodes.Status405MethodNotAllowed => "This path does not accept this HTTP method.",
            StatusCodes.Status415UnsupportedMediaType => "Send the request body as application/json.",
            _ => problem.Title,
        };
        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);
    }
}
