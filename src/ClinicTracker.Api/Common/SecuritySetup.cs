using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace ClinicTracker.Api.Common;

/// <summary>The <c>Security</c> configuration section (docs/security.md).</summary>
public sealed class SecurityOptions
{
    /// <summary>Requests one user (or, without a token, one client address) may make per window.</summary>
    public int PermitsPerWindow { get; set; } = 600;

    /// <summary>Length of the rate-limit window in seconds.</summary>
    public int WindowSeconds { get; set; } = 60;

    /// <summary>Largest request body accepted, in bytes (413 above it).</summary>
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Front-end origins allowed by CORS; none by default.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

public static partial class SecuritySetup
{
    public const string CorsPolicy = "front-end";

    public static IServiceCollection AddClinicSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Security").Get<SecurityOptions>() ?? new SecurityOptions();
        services.AddOptions<SecurityOptions>().BindConfiguration("Security");
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy.WithOrigins(options.AllowedOrigins)
            .WithMethods("GET", "POST", "PUT", "PATCH").WithHeaders("Authorization", "Content-Type", "If-Match", Idempotency.Header)
            .WithExposedHeaders("ETag", "Location", RateLimitHeaders.RetryAfter, RateLimitHeaders.RateLimitPolicy, RateLimitHeaders.RateLimit, "Idempotent-Replayed")));
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                RateLimitPartition.GetFixedWindowLimiter(
                    // Per user; per client address only for requests without a user (health, anonymous probes).
                    http.User.Identity?.Name is { } user ? "user:" + user : "ip:" + http.Connection.RemoteIpAddress,
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.PermitsPerWindow,
                        Window = TimeSpan.FromSeconds(options.WindowSeconds),
                        QueueLimit = 0,
                    }));
            limiter.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(options.WindowSeconds);
                RateLimitHeaders.WriteRefused(context.HttpContext.Response, options, retryAfter);
                await Problems.Create(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests.",
                    $"This user may make {options.PermitsPerWindow} requests per {options.WindowSeconds} s; retry after the Retry-After seconds.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    /// <summary>Security headers on every response; a locked-down CSP except for the Swagger UI page, which runs scripts.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            if (http.Request.Path.StartsWithSegments("/swagger"))
            {
                headers.ContentSecurityPolicy =
                    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";
            }
            else
            {
                headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
                // Responses carry patient data: no browser or proxy cache may keep them, unless the endpoint said
                // otherwise (a read with an ETag: "private, no-cache", revalidated every time; docs/api.md, "Caching").
                if (StringValues.IsNullOrEmpty(headers.CacheControl))
                {
                    headers.CacheControl = "no-store";
                }
            }
            return Task.CompletedTask;
        });
        await next(http);
    });

    /// <summary>Refuses bodies over the configured size with a 413 problem, before anything reads them.</summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app)
    {
        var maxBytes = app.ApplicationServices.GetRequiredService<IOptions<SecurityOptions>>().Value.MaxRequestBodyBytes;
        return app.Use(async (http, next) =>
        {
            if (http.Request.ContentLength > maxBytes)
            {
                await Problems.Create(StatusCodes.Status413PayloadTooLarge, "payload-too-large", "The request body is too large.",
                    $"Request bodies are limited to {maxBytes} bytes.").ExecuteAsync(http);
                return;
            }

            if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                // Chunked bodies without a Content-Length are cut off by the server at the same size.
                feature.MaxRequestBodySize = maxBytes;
            }

            await next(http);
        });
    }

    /// <summary>
    /// One log line per request with ids only: method, route template (not the path's query text), status,
    /// duration, user and trace id. Names, birth dates, MRNs and notes never reach it.
    /// </summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("ClinicTracker.Requests");
        return app.Use(async (http, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            // Routing has run by now; the exception handler clears the endpoint later, so read it first.
            var matched = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
            try
            {
                await next(http);
            }
            finally
            {
                var route = matched ?? (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
                LogRequest(logger, http.Request.Method, route, http.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds, http.User.Identity?.Name ?? "-", ProblemDefaults.TraceId(http));
            }
        });
    }

    /// <summary>Outside Development the API refuses to start without a way to validate tokens.</summary>
    public static void RequireTokenValidation(IConfiguration configuration, IHostEnvironment environment)
    {
        var bearer = configuration.GetSection("Authentication:Schemes:Bearer");
        var keys = bearer.GetSection("SigningKeys").GetChildren().Select(k => k["Value"]).ToList();
        foreach (var key in keys)
        {
            if (string.IsNullOrEmpty(key) || !Convert.TryFromBase64String(key, new byte[key.Length], out var length) || length < 32)
            {
                throw new InvalidOperationException(
                    "Authentication:Schemes:Bearer:SigningKeys: every Value must be a base64 key of at least 32 bytes.");
            }
        }

        if (!environment.IsDevelopment() && string.IsNullOrEmpty(bearer["Authority"]) && keys.Count == 0)
        {
            throw new InvalidOperationException(
                "No token validation is configured: set Authentication:Schemes:Bearer:Authority (an OpenID Connect issuer) or " +
                "Authentication:Schemes:Bearer:SigningKeys (see docs/operations.md). The API will not start without it outside Development.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP {Method} {Route} responded {Status} in {ElapsedMs:0.0} ms (user {User}, trace {TraceId})")]
    private static partial void LogRequest(ILogger logger, string method, string route, int status, double elapsedMs, string user, string traceId);
}
