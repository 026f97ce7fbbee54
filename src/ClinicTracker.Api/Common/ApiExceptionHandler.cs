using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Common;

/// <summary>
/// Maps what escapes a handler to a problem response: bad request bodies and parameters to 400 naming the
/// field, an unreachable or busy database to 503 with Retry-After, a lost optimistic-concurrency race to 412,
/// anything else to a bare 500 that reveals nothing.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } => FromJson(json),
            // A missing or null JSON body: "Required parameter "PatientRequest request" was not provided from body."
            BadHttpRequestException bad when bad.Message.Contains("from body", StringComparison.Ordinal) ||
                bad.Message.Contains("Implicit body", StringComparison.Ordinal) =>
                Invalid("body", "A JSON request body is required."),
            BadHttpRequestException bad when ParameterName().Match(bad.Message) is { Success: true } match =>
                Invalid(match.Groups["name"].Value, "The value is malformed or of the wrong type for this parameter."),
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "The request could not be read.",
                Detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? "The request body is too large."
                    : bad.Message,
            },
            _ when DbErrors.IsUnavailable(exception) => Unavailable(httpContext),
            DbUpdateConcurrencyException => new ProblemDetails
            {
                Status = StatusCodes.Status412PreconditionFailed,
                Type = Problems.TypeBase + "precondition.failed",
                Title = "The resource has changed.",
                Detail = "Another request changed this resource first; read it again and reapply your change.",
                Extensions = { ["code"] = "precondition.failed" },
            },
            _ => null,
        };

        if (problem is null)
        {
            // Only the exception type and the trace id: messages of data-layer exceptions can quote values.
            LogUnhandled(logger, exception.GetType().FullName, ProblemDefaults.TraceId(httpContext), exception.StackTrace);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred.",
                Detail = "The error has been logged with the trace id of this response.",
            };
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>Nothing was stored (<see cref="DbErrors.IsUnavailable"/>): the same request may simply be sent again.</summary>
    private static ProblemDetails Unavailable(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "2";
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Type = Problems.TypeBase + "database.unavailable",
            Title = "The database is unavailable.",
            Detail = "Nothing was stored. Send the same request again after Retry-After seconds (a write with the same Idempotency-Key).",
            Extensions = { ["code"] = "database.unavailable" },
        };
    }

    private static ProblemDetails FromJson(JsonException json)
    {
        // "$.items[2].amountMg" → "items[2].amountMg"; a body that is not JSON at all has no path.
        var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');
        var message = json.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? "This property is not part of the request."
            : json.Message.StartsWith("Expected ", StringComparison.Ordinal)
                ? json.Message
                : "The value is malformed or of the wrong type for this field.";
        return Invalid(field, message);
    }

    private static HttpValidationProblemDetails Invalid(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Type = Problems.TypeBase + "validation",
            Title = "The request is not valid.",
            Detail = "See errors for the fields that need correcting.",
            Extensions = { ["code"] = "validation" },
        };

    // "Failed to bind parameter "Nullable<int> limit" from "abc"." / "Required parameter "int x" was not provided".
    [GeneratedRegex("parameter \"(?:[^\"]* )?(?<name>[A-Za-z0-9_]+)\"")]
    private static partial Regex ParameterName();

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled {ExceptionType} (trace {TraceId})\n{StackTrace}")]
    private static partial void LogUnhandled(ILogger logger, string? exceptionType, string traceId, string? stackTrace);
}
