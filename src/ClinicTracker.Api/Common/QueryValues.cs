using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Common;

/// <summary>
/// Query-string values read with the same rules as JSON bodies: kebab-case enum names ("checked-in")
/// and instants that carry an offset. Minimal APIs' own binding would take "CheckedIn" or "2" and
/// instants without offsets.
/// </summary>
public sealed class QueryValues(IOptions<JsonOptions> json)
{
    public bool TryEnum<T>(string? text, out T? value)
        where T : struct, Enum
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        try
        {
            value = JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(text), json.Value.SerializerOptions);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public bool TryInstant(string? text, out DateTime? utc)
    {
        utc = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        try
        {
            utc = JsonSerializer.Deserialize<DateTimeOffset>(JsonSerializer.Serialize(text), json.Value.SerializerOptions).UtcDateTime;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var ok = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed);
        date = ok ? parsed : null;
        return ok;
    }
}
