using System.IO.Compression;
using ClinicTracker.Fhir;
using CorePatient = ClinicTracker.Core.Patients.Patient;

namespace ClinicTracker.Api.Fhir.Export;

/// <summary>One file of a batch, before it is stored: its type, lines, size before compression and gzip bytes.</summary>
internal sealed record NdjsonFileContent(string ResourceType, int Count, long UncompressedBytes, byte[] Gzip);

/// <summary>
/// One batch of patients as NDJSON files, one per resource type (Bulk Data IG: a file holds one type), each compressed
/// as it is written, and the patients that gave at least one resource (they are the ones the audit trail names).
/// </summary>
internal sealed record NdjsonBatch(IReadOnlyList<NdjsonFileContent> Files, IReadOnlyList<CorePatient> ExportedPatients)
{
    /// <summary>
    /// Fastest: FHIR JSON still shrinks about tenfold, and on a 2-core machine the compressor is the batch's largest
    /// cost after the queries (docs/performance.md, "Bulk FHIR export").
    /// </summary>
    public const CompressionLevel Compression = CompressionLevel.Fastest;

    public static NdjsonBatch Write(FhirMapper mapper, IEnumerable<PatientRecord> records, IReadOnlySet<string>? types, DateTimeOffset? since)
    {
        var writers = new Dictionary<string, TypeWriter>(StringComparer.Ordinal);
        var exported = new List<CorePatient>();
        using var line = new MemoryStream();
        try
        {
            foreach (var record in records)
            {
                var any = false;
                foreach (var resource in mapper.ToResources(record, types, since))
                {
                    any = true;
                    line.SetLength(0);
                    FhirJson.WriteLine(resource, line);
                    if (!writers.TryGetValue(resource.TypeName, out var writer))
                    {
                        writers[resource.TypeName] = writer = new TypeWriter();
                    }

                    writer.Add(line);
                }

                if (any)
                {
                    exported.Add(record.Patient);
                }
            }

            // The files in the order the mapper lists the types (Patient first), as the manifest lists them.
            return new NdjsonBatch(
                [.. FhirMapper.RecordTypes.Where(writers.ContainsKey).Select(type => writers[type].Finish(type))], exported);
        }
        finally
        {
            foreach (var writer in writers.Values)
            {
                writer.Dispose();
            }
        }
    }

    private sealed class TypeWriter : IDisposable
    {
        private readonly MemoryStream buffer = new();
        private readonly GZipStream gzip;
        private int count;
        private long bytes;

        public TypeWriter() => gzip = new GZipStream(buffer, Compression, leaveOpen: true);

        public void Add(MemoryStream line)
        {
            line.WriteTo(gzip);
            count++;
            bytes += line.Length;
        }

        public NdjsonFileContent Finish(string type)
        {
            gzip.Dispose();
            return new NdjsonFileContent(type, count, bytes, buffer.ToArray());
        }

        public void Dispose()
        {
            gzip.Dispose();
            buffer.Dispose();
        }
    }
}
