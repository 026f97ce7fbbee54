using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClinicTracker.Api.Common;

/// <summary>The wire format of api-outline.md: camelCase, kebab-case enums, strict types, no unknown properties.</summary>
public static class JsonSetup
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // Web defaults read "12" as 12; a wrong type is a 400 here.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.Converters.Add(new StrictDateTimeOffsetConverter());
    }

    /// <summary>
    /// Instants must carry an offset (api-outline.md): "2026-11-26T14:05:00" is ambiguous across a clinic's
    /// time zone and the server's, so it is rejected rather than guessed.
    /// </summary>
    private sealed class StrictDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            if (text is null || !HasOffset(text) ||
                !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            {
                throw new JsonException("Expected an ISO-8601 instant with an offset, e.g. 2026-11-26T14:05:00Z.");
            }

            return value;
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));

        private static bool HasOffset(string text)
        {
            var time = text.IndexOf('T', StringComparison.OrdinalIgnoreCase);
            if (time < 0)
            {
                return false;
            }

            var tail = text[time..];
            return tail.EndsWith('Z') || tail.EndsWith('z') || tail.Contains('+', StringComparison.Ordinal) ||
                tail.LastIndexOf('-') > 0;
        }
    }
}
