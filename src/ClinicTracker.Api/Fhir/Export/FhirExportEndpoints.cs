using System.Security.Claims;
using ClinicTracker.Api.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Exports;
using ClinicTracker.Fhir;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ClinicTracker.Api.Fhir.Export;

/// <summary>
/// Bulk FHIR export (Bulk Data Access IG v2; ADR 0019): <c>Patient/$export</c> and <c>Group/{id}/$export</c> queue a job
/// and answer 202 with its status URL; the status URL answers 202 with progress, then the manifest; each file of the
/// manifest is downloaded from <c>$export-file</c>. Jobs and files are rows, so any instance answers any of these.
/// Everything is its owner's alone: another user gets 404, as for a job that never existed. Every route runs inside
/// record keeping (each request audited); the worker audits each exported patient (<see cref="FhirExportWorker"/>).
/// </summary>
public static class FhirExportEndpoints
{
    /// <summary>A user's exports queued or running at once; more is refused with 429 until one finishes.</summary>
    public const int MaxInFlightPerUser = 5;

    private static readonly string[] KickOffParameters = ["_outputFormat", "_since", "_type"];

    public static RouteGroupBuilder MapFhirExport(this IEndpointRouteBuilder fhir)
    {
        var export = fhir.MapGroup("").RequireAuthorization(Policies.ClinicalReader);
        export.MapGet("/Patient/$export", KickOffPatientExport).WithName("FhirPatientExport");
        export.MapGet("/Group/{groupId}/$export", KickOffGroupExport).WithName("FhirGroupExport");
        export.MapGet("/$export-status/{jobId:guid}", ExportStatus).WithName("FhirExportStatus");
        export.MapDelete("/$export-status/{jobId:guid}", CancelExport).WithName("FhirCancelExport");
        export.MapGet("/$export-file/{fileId:guid}", DownloadExportFile).WithName("FhirExportFile");
        return export;
    }

    private static Task<IResult> KickOffPatientExport(ClinicDbContext db, HttpContext http, WriterGate gate, TimeProvider clock, CancellationToken ct) =>
        KickOffAsync(null, db, http, gate, clock, ct);

    private static Task<IResult> KickOffGroupExport(string groupId, ClinicDbContext db, HttpContext http, WriterGate gate, TimeProvider clock, CancellationToken ct) =>
        KickOffAsync(groupId, db, http, gate, clock, ct);

    /// <summary>
    /// Checks the kick-off as the IG asks (Accept, <c>Prefer: respond-async</c>, the parameters) and queues the job with
    /// everything the worker needs to export exactly what the caller sees now: their user, roles and sites.
    /// </summary>
    private static async Task<IResult> KickOffAsync(string? groupId, ClinicDbContext db, HttpContext http, WriterGate gate, TimeProvider clock, CancellationToken ct)
    {
        var request = http.Request;
        if (!AcceptsFhirJson(request.Headers.Accept))
        {
            return FhirResults.Error(StatusCodes.Status406NotAcceptable, "The format is not supported.",
                "The kick-off answers in application/fhir+json: send Accept: application/fhir+json (or no Accept).", "not-acceptable");
        }

        if (!PrefersAsync(request.Headers["Prefer"]))
        {
            return FhirResults.BadRequest("Bulk export runs asynchronously: send Prefer: respond-async, then poll the Content-Location of the 202.");
        }

        if (FhirQuery.Unsupported(request, KickOffParameters) is { } unsupported)
        {
            return unsupported;
        }

        var (format, formatProblem) = OutputFormat(request.Query["_outputFormat"]);
        var (types, typesProblem) = FhirQuery.Types(request.Query["_type"]);
        var (since, sinceProblem) = FhirQuery.Instant(request.Query["_since"], "_since");
        if ((formatProblem ?? typesProblem ?? sinceProblem) is { } problem)
        {
            return problem;
        }

        var group = groupId is null ? ExportGroup.Clinic : ExportGroup.Find(groupId);
        if (group is null)
        {
            return FhirResults.Error(StatusCodes.Status404NotFound, "The group was not found.",
                $"Group/{groupId} does not exist. The groups are: {string.Join(", ", ExportGroup.All.Select(g => g.Name))}.", "not-found");
        }

        var owner = http.User.UserName();
        var inFlight = await db.ExportJobs.CountAsync(j => j.Owner == owner && (j.Status == Core.Exports.ExportStatus.Queued || j.Status == Core.Exports.ExportStatus.Running), ct);
        if (inFlight >= MaxInFlightPerUser)
        {
            http.Response.Headers.RetryAfter = "60";
            return FhirResults.Error(StatusCodes.Status429TooManyRequests, "Too many exports in flight.",
                $"You have {inFlight} exports queued or running; wait for one to finish (or DELETE one) before kicking off another.", "export.too-many");
        }

        var roles = string.Join(' ', http.User.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal));
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? request.Path.Value ?? "";
        // The request's context sees exactly the caller's sites (StaffRegisterCeiling); the count and the job keep them.
        var job = ExportJob.Queue(new ExportRequest(owner, roles, db.SiteScope, request.GetEncodedUrl(), route, groupId is null ? null : group,
            types, since?.UtcDateTime, format, await group.Members(db).CountAsync(ct)), clock.GetUtcNow().UtcDateTime);
        using (await gate.EnterAsync(db, ct))
        {
            db.ExportJobs.Add(job);
            await db.SaveChangesAsync(ct);
        }

        var status = $"{FhirResults.BaseUrl(request)}/$export-status/{job.Id}";
        return new FhirExportResults.Accepted(FhirExportResults.Information($"Export {job.Id} is queued; poll {status} for its progress and manifest."), status);
    }

    /// <summary>202 with progress while queued or running, 200 with the manifest once complete, 500 if it failed; 404 if not the caller's.</summary>
    private static async Task<IResult> ExportStatus(Guid jobId, ClinicDbContext db, HttpContext http, TimeProvider clock, IOptions<FhirOptions> options, CancellationToken ct)
    {
        var job = await db.ExportJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null || !job.IsVisibleTo(http.User.UserName(), clock.GetUtcNow().UtcDateTime))
        {
            return NotFound(jobId);
        }

        switch (job.Status)
        {
            case Core.Exports.ExportStatus.Queued:
                return new FhirExportResults.InProgress($"queued: 0 of {job.PatientsTotal} patients", options.Value.Export.PollSeconds);
            case Core.Exports.ExportStatus.Running:
                return new FhirExportResults.InProgress($"{job.PatientsDone} of {job.PatientsTotal} patients", options.Value.Export.PollSeconds);
            case Core.Exports.ExportStatus.Failed:
                return FhirResults.Error(StatusCodes.Status500InternalServerError, "The export failed.", job.Error, "export.failed");
        }

        var files = await db.ExportFiles.AsNoTracking().Where(f => f.JobId == jobId)
            .Select(f => new { f.Id, f.Batch, f.ResourceType, f.Count }).ToListAsync(ct);
        var baseUrl = FhirResults.BaseUrl(http.Request);
        var output = files.OrderBy(f => IndexOfType(f.ResourceType)).ThenBy(f => f.Batch)
            .Select(f => new ExportManifestFile(f.ResourceType, $"{baseUrl}/$export-file/{f.Id}", f.Count)).ToList();
        return new FhirExportResults.Manifest(
            new ExportManifest(FhirExportResults.Instant(job.TransactionTime), job.RequestUrl, RequiresAccessToken: true, output, []),
            job.ExpiresAt!.Value);
    }

    /// <summary>
    /// Cancels the job and removes its files (runs inside record keeping's write transaction). The job first: a worker
    /// writing a batch holds that row until it commits, so this waits for it and then removes that batch's files too;
    /// the version it bumps stops the worker before its next batch.
    /// </summary>
    private static async Task<IResult> CancelExport(Guid jobId, ClinicDbContext db, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var job = await db.ExportJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == jobId, ct);
        if (job is null || !job.IsVisibleTo(http.User.UserName(), now))
        {
            return NotFound(jobId);
        }

        await db.ExportJobs.Where(j => j.Id == jobId && j.Status != Core.Exports.ExportStatus.Cancelled)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, Core.Exports.ExportStatus.Cancelled)
                .SetProperty(j => j.Version, j => j.Version + 1)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null)
                .SetProperty(j => j.FinishedAt, now)
                .SetProperty(j => j.ExpiresAt, now), ct);
        await db.ExportFiles.Where(f => f.JobId == jobId).ExecuteDeleteAsync(ct);
        return new FhirExportResults.Accepted(FhirExportResults.Information($"Export {jobId} is cancelled and its files are removed."), contentLocation: null);
    }

    /// <summary>One file of a complete export, to its owner only.</summary>
    private static async Task<IResult> DownloadExportFile(Guid fileId, ClinicDbContext db, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var file = await db.ExportFiles.AsNoTracking().Where(f => f.Id == fileId)
            .Join(db.ExportJobs, f => f.JobId, j => j.Id, (f, j) => new { j.Owner, j.Status, j.ExpiresAt })
            .FirstOrDefaultAsync(ct);
        if (file is null || file.Status != Core.Exports.ExportStatus.Completed || !ExportJob.IsOwnedBy(file.Owner, http.User.UserName()) ||
            file.ExpiresAt <= clock.GetUtcNow().UtcDateTime)
        {
            return FhirResults.Error(StatusCodes.Status404NotFound, "The file was not found.", $"Export file {fileId} does not exist (or has expired).", "not-found");
        }

        // The bytes only once the caller is known to own them.
        var content = await db.ExportFiles.AsNoTracking().Where(f => f.Id == fileId).Select(f => f.Content).SingleAsync(ct);
        return new FhirExportResults.NdjsonFile(content);
    }

    private static FhirResult NotFound(Guid jobId) =>
        FhirResults.Error(StatusCodes.Status404NotFound, "The export was not found.", $"Export {jobId} does not exist (or has expired or been cancelled).", "not-found");

    private static int IndexOfType(string type) => FhirMapper.RecordTypes.ToList().IndexOf(type);

    /// <summary>Accept: none, <c>*/*</c> or <c>application/fhir+json</c> (the IG: the kick-off's OperationOutcome is FHIR JSON).</summary>
    internal static bool AcceptsFhirJson(StringValues accept) =>
        StringValues.IsNullOrEmpty(accept) ||
        (MediaTypeHeaderValue.TryParseList(accept, out var types) &&
         types.Any(t => t.MediaType.Equals("*/*", StringComparison.Ordinal) || t.MediaType.Equals(FhirJson.MediaType, StringComparison.OrdinalIgnoreCase)));

    /// <summary><c>Prefer: respond-async</c>, among any other preferences (RFC 7240).</summary>
    internal static bool PrefersAsync(StringValues prefer) =>
        prefer.SelectMany(v => (v ?? "").Split(',')).Any(p => p.Split(';', '=')[0].Trim().Equals("respond-async", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// <c>_outputFormat</c>: NDJSON under any of the IG's three names (default <c>application/fhir+ndjson</c>). A "+" sent
    /// unencoded reads as a space, so "application/fhir ndjson" is the same request.
    /// </summary>
    internal static (string Format, FhirResult? Problem) OutputFormat(StringValues values)
    {
        if (StringValues.IsNullOrEmpty(values))
        {
            return (FhirJson.NdjsonMediaType, null);
        }

        return values.Count == 1 && values[0] is FhirJson.NdjsonMediaType or "application/fhir ndjson" or "application/ndjson" or "ndjson"
            ? (FhirJson.NdjsonMediaType, null)
            : (FhirJson.NdjsonMediaType, FhirResults.BadRequest(
                "_outputFormat must be application/fhir+ndjson, application/ndjson or ndjson: the files are NDJSON, one resource per line."));
    }
}
