using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using ClinicTracker.Fhir;
using Hl7.Fhir.Model;
using Microsoft.Net.Http.Headers;
using Task = System.Threading.Tasks.Task;

namespace ClinicTracker.Api.Fhir.Export;

/// <summary>The completion manifest of a bulk export (Bulk Data Access IG v2, "Response - Complete Status").</summary>
/// <param name="TransactionTime">The kick-off instant: resources changed after it may be missing from the files.</param>
/// <param name="Request">The kick-off URL as the client sent it.</param>
/// <param name="RequiresAccessToken">Always true: the files are downloaded with the same bearer token.</param>
/// <param name="Output">One entry per file: its resource type, URL and number of resources.</param>
/// <param name="Error">Files of OperationOutcomes: always empty (a failed batch fails the whole job).</param>
public sealed record ExportManifest(
    string TransactionTime, string Request, bool RequiresAccessToken, IReadOnlyList<ExportManifestFile> Output, IReadOnlyList<ExportManifestFile> Error);

/// <summary>One file of the manifest.</summary>
public sealed record ExportManifestFile(string Type, string Url, int Count);

/// <summary>The responses of the bulk export routes that are not plain resources.</summary>
internal static class FhirExportResults
{
    private static readonly JsonSerializerOptions ManifestJson = new(JsonSerializerDefaults.Web);

    /// <summary>An OperationOutcome of one informational issue (kick-off accepted, export cancelled).</summary>
    public static OperationOutcome Information(string diagnostics) => new()
    {
        Issue =
        [
            new OperationOutcome.IssueComponent
            {
                Severity = OperationOutcome.IssueSeverity.Information,
                Code = OperationOutcome.IssueType.Informational,
                Diagnostics = diagnostics,
            },
        ],
    };

    /// <summary>An instant as FHIR writes it (UTC, milliseconds).</summary>
    public static string Instant(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>202 with the polling location (kick-off), or 202 with an outcome (cancellation).</summary>
    public sealed class Accepted(Resource outcome, string? contentLocation) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status202Accepted;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            if (contentLocation is not null)
            {
                httpContext.Response.Headers.ContentLocation = contentLocation;
            }

            return FhirResults.WriteAsync(httpContext, outcome, StatusCodes.Status202Accepted);
        }
    }

    /// <summary>202 while the job is queued or running: how far it has got, and when to ask again. No body.</summary>
    public sealed class InProgress(string progress, int retryAfterSeconds) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status202Accepted;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.StatusCode = StatusCodes.Status202Accepted;
            httpContext.Response.Headers["X-Progress"] = progress;
            httpContext.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }
    }

    /// <summary>200 with the manifest (<c>application/json</c>, as the IG asks) and its expiry.</summary>
    public sealed class Manifest(ExportManifest manifest, DateTime expiresAtUtc) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status200OK;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            httpContext.Response.Headers.Expires = expiresAtUtc.ToString("R", CultureInfo.InvariantCulture);
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(httpContext.Response.Body, manifest, ManifestJson, httpContext.RequestAborted);
        }
    }

    /// <summary>
    /// One export file (<c>application/fhir+ndjson</c>). It is stored gzip-compressed: a client that accepts gzip gets
    /// the stored bytes as they are (<c>Content-Encoding: gzip</c>), any other gets them decompressed while they stream.
    /// </summary>
    public sealed class NdjsonFile(byte[] gzipContent) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => StatusCodes.Status200OK;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = FhirJson.NdjsonMediaType;
            response.Headers.Vary = HeaderNames.AcceptEncoding;
            if (AcceptsGzip(httpContext.Request))
            {
                response.Headers.ContentEncoding = "gzip";
                response.ContentLength = gzipContent.Length;
                await response.Body.WriteAsync(gzipContent, httpContext.RequestAborted);
                return;
            }

            await using var gzip = new GZipStream(new MemoryStream(gzipContent, writable: false), CompressionMode.Decompress);
            await gzip.CopyToAsync(response.Body, httpContext.RequestAborted);
        }

        /// <summary>gzip with a quality above zero in Accept-Encoding, or else * (RFC 9110 §12.5.3: a named coding's own weight wins).</summary>
        internal static bool AcceptsGzip(HttpRequest request)
        {
            if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptEncoding, out var codings))
            {
                return false;
            }

            var named = codings.FirstOrDefault(c => c.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase));
            return (named ?? codings.FirstOrDefault(c => c.Value.Equals("*", StringComparison.Ordinal))) is { } coding && coding.Quality is not 0;
        }
    }
}
