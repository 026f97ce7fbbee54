using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ClinicTracker.Api.Common;

/// <summary>Optimistic concurrency for mutable resources: the row version as a strong ETag, checked against If-Match.</summary>
public static class ETags
{
    public static string For(int version) => $"\"{version}\"";

    public static void Set(HttpResponse response, int version) => response.Headers.ETag = For(version);

    /// <summary>Returns a 428 or 412 problem when the request's If-Match does not allow the update, otherwise null.</summary>
    public static ProblemHttpResult? CheckIfMatch(HttpRequest request, int currentVersion)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return Problems.Create(
                StatusCodes.Status428PreconditionRequired,
                "precondition.required",
                "If-Match is required.",
                "Send the ETag of the version you read in If-Match, so a concurrent change is not overwritten.");
        }

        if (!EntityTagHeaderValue.TryParseList(header, out var tags) ||
            !tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag.ToString() == For(currentVersion)))
        {
            return Problems.Create(
                StatusCodes.Status412PreconditionFailed,
                "precondition.failed",
                "The resource has changed.",
                "If-Match does not match the current version; read it again and reapply your change.");
        }

        return null;
    }
}
