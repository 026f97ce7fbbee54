using ClinicTracker.Core.Sites;

namespace ClinicTracker.Core.Exports;

/// <summary>Where a bulk export stands (Bulk Data Access IG v2, $export).</summary>
public enum ExportStatus
{
    /// <summary>Kicked off; no instance has claimed it yet.</summary>
    Queued,

    /// <summary>An instance holds its lease and writes it batch by batch.</summary>
    Running,

    /// <summary>Every batch is written; the files are downloadable until <see cref="ExportJob.ExpiresAt"/>.</summary>
    Completed,

    /// <summary>A batch failed; <see cref="ExportJob.Error"/> says where (ids only).</summary>
    Failed,

    /// <summary>The owner deleted it; its files are gone and it no longer exists for anyone.</summary>
    Cancelled,
}

/// <summary>
/// One bulk FHIR export (ADR 0019): what was asked, by whom, over which sites, and how far the work has got. A row, not
/// process memory, so any instance answers the polls and any instance may carry the work on: an instance claims it
/// with a lease, writes it in batches of patients (each batch one transaction that also moves <see cref="Position"/>
/// and bumps <see cref="Version"/>), and an instance whose version is no longer the row's writes nothing more.
/// </summary>
public sealed class ExportJob
{
    private ExportJob()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The token user who kicked it off; only they may poll, download or cancel it.</summary>
    public string Owner { get; private set; } = "";

    /// <summary>The owner's counted roles at kick-off, space-separated, as the audit trail writes them.</summary>
    public string OwnerRoles { get; private set; } = "";

    /// <summary>The owner's sites at kick-off (domain.md §14): the worker sees exactly these, whatever changes later.</summary>
    public bool AllSites { get; private set; }

    /// <summary>The site ids of the scope, comma-separated (empty when <see cref="AllSites"/> or no site).</summary>
    public string SiteIds { get; private set; } = "";

    /// <summary>The kick-off request as the client sent it, for the manifest's <c>request</c>.</summary>
    public string RequestUrl { get; private set; } = "";

    /// <summary>The kick-off's route template, for the audit rows of the exported patients.</summary>
    public string KickOffRoute { get; private set; } = "";

    /// <summary>The group's name (<see cref="ExportGroup"/>); null for <c>Patient/$export</c> (every patient, as the clinic group).</summary>
    public string? Group { get; private set; }

    /// <summary><c>_type</c>: the resource types asked for, comma-separated; null for every type.</summary>
    public string? Types { get; private set; }

    /// <summary><c>_since</c>: only resources changed at or after it.</summary>
    public DateTime? Since { get; private set; }

    /// <summary><c>_outputFormat</c> as normalized (always NDJSON).</summary>
    public string OutputFormat { get; private set; } = "";

    /// <summary>The kick-off instant: the manifest's transactionTime. Records changed after it need not be in the files.</summary>
    public DateTime TransactionTime { get; private set; }

    public ExportStatus Status { get; private set; }

    /// <summary>The group's patients at kick-off (for progress; patients added later may still be exported).</summary>
    public int PatientsTotal { get; private set; }

    public int PatientsDone { get; private set; }

    /// <summary>Batches written so far; the next batch's number (each file row names its batch).</summary>
    public int BatchesDone { get; private set; }

    /// <summary>The last patient id exported (keyset position; null before the first batch).</summary>
    public Guid? Position { get; private set; }

    /// <summary>Bumped by every claim, batch, cancellation and end: each writer writes only over the version it holds.</summary>
    public long Version { get; private set; }

    /// <summary>How often an instance claimed the job; a job claimed again and again without finishing is failed.</summary>
    public int Claims { get; private set; }

    /// <summary>Which instance holds the lease (diagnostics only: the version decides).</summary>
    public string? LeaseOwner { get; private set; }

    public DateTime? LeaseExpiresAt { get; private set; }

    public DateTime? StartedAt { get; private set; }

    /// <summary>When it completed, failed or was cancelled.</summary>
    public DateTime? FinishedAt { get; private set; }

    /// <summary>When its files and the job itself are removed (completion + retention); null while it runs.</summary>
    public DateTime? ExpiresAt { get; private set; }

    /// <summary>Why it failed: batch and ids only, never patient data.</summary>
    public string? Error { get; private set; }

    /// <summary>The owner's site scope at kick-off, for the worker's context.</summary>
    public SiteScope Scope => AllSites
        ? SiteScope.Everything
        : SiteScope.Of(SiteIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse));

    /// <summary>The <c>_type</c> set; null for every type.</summary>
    public IReadOnlySet<string>? TypeSet => Types is null ? null : Types.Split(',').ToHashSet(StringComparer.Ordinal);

    /// <summary>A new job, queued for the first instance that polls.</summary>
    public static ExportJob Queue(ExportRequest request, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ExportJob
        {
            Id = Guid.CreateVersion7(),
            Owner = request.Owner,
            OwnerRoles = request.OwnerRoles,
            AllSites = request.Scope.AllSites,
            SiteIds = request.Scope.AllSites ? "" : string.Join(',', request.Scope.SiteIds),
            RequestUrl = request.RequestUrl,
            KickOffRoute = request.KickOffRoute,
            Group = request.Group?.Name,
            Types = request.Types is null ? null : string.Join(',', request.Types.Order(StringComparer.Ordinal)),
            Since = request.Since,
            OutputFormat = request.OutputFormat,
            TransactionTime = nowUtc,
            Status = ExportStatus.Queued,
            PatientsTotal = request.PatientsTotal,
            Version = 1,
        };
    }

    /// <summary>Whether the job exists for <paramref name="userName"/> at <paramref name="nowUtc"/>: theirs, not cancelled, not expired.</summary>
    public bool IsVisibleTo(string userName, DateTime nowUtc) =>
        IsOwnedBy(Owner, userName) && Status != ExportStatus.Cancelled && !(ExpiresAt <= nowUtc);

    /// <summary>User names compare as the staff register compares them (trimmed, case-insensitive).</summary>
    public static bool IsOwnedBy(string owner, string userName) =>
        string.Equals(Common.SearchText.Normalize(owner), Common.SearchText.Normalize(userName), StringComparison.Ordinal);
}

/// <summary>What a kick-off asks for, checked by the endpoint.</summary>
public sealed record ExportRequest(
    string Owner, string OwnerRoles, SiteScope Scope, string RequestUrl, string KickOffRoute, ExportGroup? Group,
    IReadOnlySet<string>? Types, DateTime? Since, string OutputFormat, int PatientsTotal);
