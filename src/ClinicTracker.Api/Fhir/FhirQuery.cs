using System.Globalization;
using ClinicTracker.Api.Common;
using ClinicTracker.Fhir;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Primitives;

namespace ClinicTracker.Api.Fhir;

/// <summary>An instant range [From, To) a date search parameter selects; either end open.</summary>
public readonly record struct InstantRange(DateTime? From, DateTime? To)
{
    public InstantRange Intersect(InstantRange other) => new(
        From is null ? other.From : other.From is null ? From : From > other.From ? From : other.From,
        To is null ? other.To : other.To is null ? To : To < other.To ? To : other.To);
}

/// <summary>
/// The FHIR search parameters this server reads (FHIR R4 §search), each checked once: a parameter the server does not
/// support is refused with 400 rather than ignored, so a client never takes an unfiltered result for a filtered one.
/// </summary>
public static class FhirQuery
{
    /// <summary>400 naming the first parameter not in <paramref name="allowed"/>; null when all are understood.</summary>
    public static FhirResult? Unsupported(HttpRequest request, IEnumerable<string> allowed)
    {
        var known = allowed.ToHashSet(StringComparer.Ordinal);
        if (request.Query.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            return FhirResults.BadRequest($"The parameter '{unknown}' is not supported here; the CapabilityStatement (GET /fhir/r4/metadata) lists those that are.");
        }

        return request.Query.TryGetValue("_format", out var format) && format.Any(f => f is not ("json" or "application/json" or FhirJson.MediaType))
            ? FhirResults.Error(StatusCodes.Status406NotAcceptable, "The format is not supported.", "Only JSON (application/fhir+json) is served.", "not-acceptable")
            : null;
    }

    /// <summary><c>_count</c>: 1–200, default 50, as the v1 API's pages.</summary>
    public static (int Count, FhirResult? Problem) Count(StringValues values)
    {
        if (StringValues.IsNullOrEmpty(values))
        {
            return (Paging.DefaultLimit, null);
        }

        return values.Count == 1 && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= Paging.MaxLimit
            ? (count, null)
            : (0, FhirResults.BadRequest($"_count must be a whole number from 1 to {Paging.MaxLimit}."));
    }

    /// <summary>The <c>patient</c> reference: <c>Patient/{id}</c> or the id; required, once.</summary>
    public static (Guid PatientId, FhirResult? Problem) Patient(StringValues values)
    {
        if (values.Count != 1)
        {
            return (default, FhirResults.BadRequest("Give the patient once: patient=Patient/{id} (every search here is of one patient's record)."));
        }

        var value = values[0]!;
        var id = value.StartsWith("Patient/", StringComparison.Ordinal) ? value["Patient/".Length..] : value;
        return Guid.TryParse(id, out var patientId)
            ? (patientId, null)
            : (default, FhirResults.BadRequest("patient must be Patient/{id} or the id of a patient of this server."));
    }

    /// <summary>A token's comma-separated alternatives, each split into its system (null when none was given) and code.</summary>
    public static IReadOnlyList<(string? System, string Code)> Tokens(StringValues values) =>
        [.. values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(token =>
            token.IndexOf('|', StringComparison.Ordinal) is var bar and >= 0 ? (token[..bar], token[(bar + 1)..]) : ((string?)null, token))];

    /// <summary><c>_type</c>: the record types asked for; null when absent.</summary>
    public static (IReadOnlySet<string>? Types, FhirResult? Problem) Types(StringValues values)
    {
        if (StringValues.IsNullOrEmpty(values))
        {
            return (null, null);
        }

        var types = Tokens(values).Select(t => t.Code).ToHashSet(StringComparer.Ordinal);
        return types.FirstOrDefault(t => !FhirMapper.RecordTypes.Contains(t)) is { } unknown
            ? (null, FhirResults.BadRequest($"_type '{unknown}' is not a type this server exports ({string.Join(", ", FhirMapper.RecordTypes)})."))
            : (types, null);
    }

    /// <summary>An instant such as <c>_since</c>: a full date-time with its zone, once.</summary>
    public static (DateTimeOffset? Instant, FhirResult? Problem) Instant(StringValues values, string name)
    {
        if (StringValues.IsNullOrEmpty(values))
        {
            return (null, null);
        }

        return values.Count == 1 && values[0]!.Contains('T', StringComparison.Ordinal) &&
            DateTimeOffset.TryParse(values[0], CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant) && HasZone(values[0]!)
            ? (instant, null)
            : (null, FhirResults.BadRequest($"{name} must be an instant with its time zone, e.g. 2026-03-01T00:00:00Z."));
    }

    /// <summary>
    /// A date parameter, repeatable (all must hold): each value an optional prefix (eq, ge, gt, le, lt, sa, eb) and a
    /// FHIR date or date-time of any precision. A value without a zone is UTC. The value stands for the whole interval
    /// its precision names (2026-03 is all of March): ge takes its start, gt its end, le its end, lt its start.
    /// </summary>
    public static (InstantRange Range, FhirResult? Problem) Dates(StringValues values, string name)
    {
        var range = new InstantRange(null, null);
        foreach (var value in values)
        {
            var text = value ?? "";
            var prefix = text.Length > 2 && char.IsAsciiLetterLower(text[0]) ? text[..2] : "eq";
            var date = text.Length > 2 && char.IsAsciiLetterLower(text[0]) ? text[2..] : text;
            if (!TryInterval(date, out var start, out var end))
            {
                return (range, FhirResults.BadRequest($"{name} '{text}' is not a FHIR date (yyyy, yyyy-mm, yyyy-mm-dd or a date-time)."));
            }

            InstantRange? selected = prefix switch
            {
                "eq" => new InstantRange(start, end),
                "ge" => new InstantRange(start, null),
                "gt" or "sa" => new InstantRange(end, null),
                "le" => new InstantRange(null, end),
                "lt" or "eb" => new InstantRange(null, start),
                _ => null,
            };
            if (selected is null)
            {
                return (range, FhirResults.BadRequest($"The prefix '{prefix}' of {name} is not supported (eq, ge, gt, le, lt, sa, eb)."));
            }

            range = range.Intersect(selected.Value);
        }

        return (range, null);
    }

    /// <summary>The interval [start, end) a FHIR date of any precision names, in UTC.</summary>
    internal static bool TryInterval(string text, out DateTime start, out DateTime end)
    {
        start = end = default;
        var styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (text.Length == 4 && DateTime.TryParseExact(text, "yyyy", CultureInfo.InvariantCulture, styles, out start))
        {
            end = start.AddYears(1);
        }
        else if (text.Length == 7 && DateTime.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, styles, out start))
        {
            end = start.AddMonths(1);
        }
        else if (text.Length == 10 && DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, styles, out start))
        {
            end = start.AddDays(1);
        }
        else if (text.Length > 10 && text[10] == 'T' && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            start = instant.UtcDateTime;
            // 2026-03-02T14:05 names that minute, …:05:30 that second, a fraction that instant.
            var clock = text[11..].Split(['Z', '+', '-'])[0];
            end = clock.Length <= 5 ? start.AddMinutes(1) : clock.Contains('.', StringComparison.Ordinal) ? start.AddTicks(1) : start.AddSeconds(1);
        }
        else
        {
            return false;
        }

        start = DateTime.SpecifyKind(start, DateTimeKind.Utc);
        end = DateTime.SpecifyKind(end, DateTimeKind.Utc);
        return true;
    }

    /// <summary>The request as the client sent it: the Bundle's self link.</summary>
    public static string SelfUrl(HttpRequest request) => request.GetEncodedUrl();

    /// <summary>The same search at the next keyset position: every parameter as given, <c>_cursor</c> replaced.</summary>
    public static string NextUrl(HttpRequest request, string cursor)
    {
        var query = new QueryBuilder(request.Query.Where(p => p.Key != "_cursor").SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v ?? ""))))
        {
            { "_cursor", cursor },
        };
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{query.ToQueryString()}";
    }

    private static bool HasZone(string value) =>
        value.EndsWith('Z') || value.LastIndexOfAny(['+', '-']) > value.IndexOf('T', StringComparison.Ordinal);
}
