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
        // The strict converter reads and writes; the built-in one stays listed so Swagger renders enums as strings.
        options.Converters.Add(new StrictKebabEnumConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.Converters.Add(new StrictDateTimeOffsetConverter());
        options.Converters.Add(new NormalizedDecimalConverter());
    }

    /// <summary>
    /// Enum values exactly as api-outline.md spells them ("checked-in"): the built-in converter also reads
    /// "CheckedIn" and "checkedin", which would let a client depend on spellings the contract does not have.
    /// </summary>
    private sealed class StrictKebabEnumConverter : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

        private sealed class Converter<T> : JsonConverter<T>
            where T : struct, Enum
        {
            private static readonly Dictionary<string, T> ByName =
                Enum.GetValues<T>().ToDictionary(v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()), StringComparer.Ordinal);

            private static readonly Dictionary<T, string> ByValue = ByName.ToDictionary(p => p.Value, p => p.Key);

            public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                reader.TokenType == JsonTokenType.String && ByName.TryGetValue(reader.GetString()!, out var value)
                    ? value
                    : throw new JsonException($"Expected one of: {string.Join(", ", ByName.Keys)}.");

            public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
                writer.WriteStringValue(Name(value));

            // Enum-keyed dictionaries (e.g. missedByReason) use the same spellings as property names.
            public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                Read(ref reader, typeToConvert, options);

            public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
                writer.WritePropertyName(Name(value));

            private static string Name(T value) =>
                ByValue.TryGetValue(value, out var name) ? name : throw new JsonException("Undefined enum value.");
        }
    }

    /// <summary>
    /// Decimals go out without trailing zeros (70, not 70.0 or 70.00): SQLite hands back whatever scale was
    /// stored, so the same weight would otherwise print differently from one response to the next.
    /// </summary>
    private sealed class NormalizedDecimalConverter : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number ? reader.GetDecimal() : throw new JsonException("Expected a number.");

        // Dividing by 1.000…0 (28 decimals) makes the scale minimal without changing the value.
        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value / 1.0000000000000000000000000000m);
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
