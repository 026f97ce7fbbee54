using System.Globalization;
using Microsoft.OpenApi;

namespace ClinicTracker.Api.Common;

/// <summary>
/// The headers of a 429 (docs/security.md): <c>Retry-After</c> (RFC 9110) and the IETF RateLimit fields
/// (draft-ietf-httpapi-ratelimit-headers): <c>RateLimit-Policy</c> states the quota, <c>RateLimit</c> what is left
/// of it and when the window resets. One fixed window per user (per client address without a token).
/// </summary>
public static class RateLimitHeaders
{
    /// <summary>The quota policy's name in both fields.</summary>
    public const string Policy = "default";

    public const string RetryAfter = "Retry-After";
    public const string RateLimitPolicy = "RateLimit-Policy";
    public const string RateLimit = "RateLimit";

    /// <summary>Writes the three headers of a refused request: nothing is left until the window resets.</summary>
    public static void WriteRefused(HttpResponse response, SecurityOptions options, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        response.Headers[RetryAfter] = seconds;
        // Structured-field lists (RFC 9651): a String item naming the policy, with integer parameters.
        response.Headers[RateLimitPolicy] = string.Create(CultureInfo.InvariantCulture, $"\"{Policy}\";q={options.PermitsPerWindow};w={options.WindowSeconds}");
        response.Headers[RateLimit] = $"\"{Policy}\";r=0;t={seconds}";
    }

    /// <summary>The same headers as the OpenAPI document declares them on every 429.</summary>
    internal static IEnumerable<(string Name, IOpenApiHeader Header)> Describe()
    {
        yield return (RetryAfter, new OpenApiHeader
        {
            Description = "Seconds to wait before retrying.",
            Required = true,
            // At most one window (Security:WindowSeconds); a day bounds any window an operator would set.
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = "86400" },
        });
        yield return (RateLimitPolicy, new OpenApiHeader
        {
            Description = $"The quota (draft-ietf-httpapi-ratelimit-headers): `\"{Policy}\";q=<requests>;w=<window seconds>`, per user.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^\"[a-z-]+\";q=\\d+;w=\\d+$" },
        });
        yield return (RateLimit, new OpenApiHeader
        {
            Description = $"What is left of the quota: `\"{Policy}\";r=<remaining>;t=<seconds until the window resets>`.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^\"[a-z-]+\";r=\\d+;t=\\d+$" },
        });
    }
}
