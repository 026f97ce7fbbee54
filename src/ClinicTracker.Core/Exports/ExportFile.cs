namespace ClinicTracker.Core.Exports;

/// <summary>
/// One NDJSON file of an export: the resources of one type (Bulk Data IG: one type per file) from one batch of
/// patients, gzip-compressed as it is served to a client that accepts gzip (ADR 0019). A row, so any instance serves
/// it; removed with its job.
/// </summary>
public sealed class ExportFile
{
    private ExportFile()
    {
    }

    public Guid Id { get; private set; }

    public Guid JobId { get; private set; }

    /// <summary>The job's batch that wrote it (0, 1, 2…): with the type, unique in the job, so no batch is stored twice.</summary>
    public int Batch { get; private set; }

    /// <summary>The FHIR resource type of every line.</summary>
    public string ResourceType { get; private set; } = "";

    /// <summary>Resources (lines) in the file: the manifest's <c>count</c>.</summary>
    public int Count { get; private set; }

    /// <summary>The NDJSON's size before compression.</summary>
    public long UncompressedBytes { get; private set; }

    /// <summary>The NDJSON, gzip-compressed (one gzip member).</summary>
    public byte[] Content { get; private set; } = [];

    public DateTime CreatedAt { get; private set; }

    public static ExportFile Create(Guid jobId, int batch, string resourceType, int count, long uncompressedBytes, byte[] gzipContent, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(),
        JobId = jobId,
        Batch = batch,
        ResourceType = resourceType,
        Count = count,
        UncompressedBytes = uncompressedBytes,
        Content = gzipContent,
        CreatedAt = nowUtc,
    };
}
