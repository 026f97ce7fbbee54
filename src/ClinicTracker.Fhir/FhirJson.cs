using System.Text.Encodings.Web;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace ClinicTracker.Fhir;

/// <summary>FHIR JSON with the Firely serializer: whole documents for responses, one line per resource for NDJSON.</summary>
public static class FhirJson
{
    public const string MediaType = "application/fhir+json";
    public const string NdjsonMediaType = "application/fhir+ndjson";

    private static readonly BaseFhirJsonSerializer Serializer = new(ModelInfo.ModelInspector);

    /// <summary>Strict parsing: anything the R4 model does not know is an error (the round-trip tests use it).</summary>
    private static readonly JsonSerializerOptions Strict = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    /// <summary>FHIR JSON is not embedded in HTML: "+" in a time zone stays "+", "…" stays "…" (the default encoder escapes both).</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static void Write(Resource resource, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Serializer.Serialize(resource, writer);
        writer.Flush();
    }

    /// <summary>One resource as one line of UTF-8 JSON, no indentation, then a line feed (the NDJSON of Bulk Data).</summary>
    public static void WriteLine(Resource resource, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            Write(resource, writer);
        }

        stream.WriteByte((byte)'\n');
    }

    public static string Serialize(Resource resource)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(resource, writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Parses FHIR JSON strictly; throws <see cref="DeserializationFailedException"/> naming what is wrong.</summary>
    public static T Parse<T>(string json)
        where T : Resource => JsonSerializer.Deserialize<T>(json, Strict) ?? throw new JsonException("The document is empty.");
}
