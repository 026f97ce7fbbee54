using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ClinicTracker.Api.Common;

/// <summary>
/// Optimistic concurrency for mutable resources: the row version as a strong ETag, checked against If-Match. A read
/// of one patient or one session tags its representation instead (<see cref="Representation"/>), so a client can
/// revalidate with If-None-Match and get a 304; the tag still begins with the version, which is all If-Match needs.
/// </summary>
public static class ETags
{
    /// <summary>Bytes of SHA-256 kept in a representation tag: 128 bits, far beyond any chance collision between two bodies.</summary>
    private const int HashBytes = 16;

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
            !tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || IsOfVersion(t.Tag.ToString(), currentVersion)))
        {
            return Problems.Create(
                StatusCodes.Status412PreconditionFailed,
                "precondition.failed",
                "The resource has changed.",
                "If-Match does not match the current version; read it again and reapply your change.");
        }

        return null;
    }

    /// <summary>
    /// The strong tag of a read's body, <c>"{version}-{hash}"</c>: the hash is SHA-256 of the UTF-8 JSON exactly as
    /// the API serializes it (the app's JSON options), cut to 16 bytes, base64url. So the tag changes whenever
    /// anything the caller is shown changes — a field that is not on the row (a patient's open safety-flag count),
    /// one the caller's role hides (the front desk's null), one computed from the clock (what a session's completion
    /// still lacks) — and not otherwise. The version in front keeps the tag usable in If-Match on writes.
    /// </summary>
    public static string Representation<T>(HttpContext http, int version, T body)
    {
        var json = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var hash = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(body, json));
        return $"\"{version}-{System.Buffers.Text.Base64Url.EncodeToString(hash.AsSpan(0, HashBytes))}\"";
    }

    /// <summary>
    /// Sets a read's validators — the tag, <c>Cache-Control: private, no-cache</c> (patient data: never a shared cache,
    /// and a private one must ask again every time) and <c>Vary: Authorization</c> (another caller may be shown
    /// another body) — and says whether the request's If-None-Match already holds this representation (then answer
    /// 304 with no body). Weak comparison, as RFC 9110 §13.1.2 asks for If-None-Match; <c>*</c> matches any.
    /// </summary>
    public static bool NotModified(HttpContext http, string tag)
    {
        var response = http.Response;
        response.Headers.ETag = tag;
        response.Headers.CacheControl = "private, no-cache";
        response.Headers.Vary = HeaderNames.Authorization;
        var current = new EntityTagHeaderValue(tag);
        return http.Request.Headers.IfNoneMatch.Count > 0
            && EntityTagHeaderValue.TryParseList(http.Request.Headers.IfNoneMatch, out var sent)
            && sent.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }

    /// <summary>A version tag (<c>"3"</c>) or a representation tag of that version (<c>"3-…"</c>).</summary>
    private static bool IsOfVersion(string quotedTag, int version) =>
        quotedTag == For(version) || quotedTag.StartsWith($"\"{version}-", StringComparison.Ordinal);
}
