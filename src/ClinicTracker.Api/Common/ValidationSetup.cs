using System.Globalization;
using System.Text;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Validators;

namespace ClinicTracker.Api.Common;

/// <summary>Global FluentValidation settings: error keys and messages use the JSON (camelCase) field names.</summary>
public static class ValidationSetup
{
    public static void Configure()
    {
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        // One message per field: a missing value is reported as missing, not also as out of range.
        ValidatorOptions.Global.DefaultRuleLevelCascadeMode = CascadeMode.Stop;
    }
}

/// <summary>Rules shared by the request validators.</summary>
public static class CommonRules
{
    /// <summary>Clocks of clinic devices drift; an instant up to this far ahead of the server still counts as "now".</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    /// <summary>Times recorded in the clinic may lie in the past (catch-up, downtime) but never in the future (api-outline.md).</summary>
    public static IRuleBuilderOptions<T, DateTimeOffset?> NotInFuture<T>(this IRuleBuilder<T, DateTimeOffset?> rule, TimeProvider clock) =>
        rule.Must(v => v is null || v <= clock.GetUtcNow() + ClockSkew).WithMessage("'{PropertyName}' cannot be in the future.");

    /// <summary>
    /// A person's or clinician's name: 1–<paramref name="maxLength"/> characters with at least one visible one
    /// (<see cref="VisibleText.HasVisibleCharacter"/>), no control characters, and no invisible format characters
    /// (<see cref="VisibleText.HiddenCharacterIn"/>): a zero-width space splits a name for search and duplicate
    /// checks, and a bidi override makes the screen show other letters than the record holds.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> PersonName<T>(this IRuleBuilder<T, string?> rule, int maxLength = 100) =>
        rule.NotEmpty().MaximumLength(maxLength).Visible()
            .Must(v => v is null || !v.Any(char.IsControl)).WithMessage("'{PropertyName}' cannot contain control characters.")
            .Must(v => v is null || VisibleText.HiddenCharacterIn(v) is null)
            .WithMessage((_, v) => $"'{{PropertyName}}' cannot contain the invisible character {VisibleText.HiddenCharacterIn(v!)}.");

    /// <summary>
    /// Text a person must be able to read (a name, a reason, an action taken): refuses a value made only of white
    /// space, zero-width and other format characters or blank fillers. Null and "" pass (NotEmpty says whether the
    /// field is required), so an optional field that is sent must be readable too.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> Visible<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => string.IsNullOrEmpty(v) || VisibleText.HasVisibleCharacter(v))
            .WithMessage("'{PropertyName}' must contain visible text, not only spaces or invisible characters.");

    /// <summary>A list of <paramref name="min"/>–<paramref name="max"/> items; the OpenAPI document shows it as minItems/maxItems.</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<TItem>?> ItemCount<T, TItem>(this IRuleBuilder<T, IReadOnlyList<TItem>?> rule, int min, int max) =>
        rule.SetValidator(new ItemCountValidator<T, TItem>(min, max));

    /// <summary>An amount in mg: positive, at most 2 decimals (domain.md §3), and below an absurd ceiling.</summary>
    public static IRuleBuilderOptions<T, decimal?> Milligrams<T>(this IRuleBuilder<T, decimal?> rule) =>
        rule.GreaterThan(0).LessThanOrEqualTo(10_000)
            .Must(v => v is null || Core.Common.Amounts.HasAtMostTwoDecimals(v.Value))
            .WithMessage("'{PropertyName}' has at most 2 decimals.");
}

/// <summary>What counts as visible text (CommonRules.Visible, CommonRules.PersonName).</summary>
public static class VisibleText
{
    // Letters that render as nothing: Hangul fillers, the Braille blank, the combining grapheme joiner.
    private static readonly HashSet<int> BlankCharacters = [0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x034F];

    /// <summary>True when some character is a letter, digit, punctuation or symbol that is not blank.</summary>
    public static bool HasVisibleCharacter(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (BlankCharacters.Contains(rune.Value))
            {
                continue;
            }

            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                    or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                    or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
                    or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                    or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
                    or UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol
                    or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The first invisible format character (Unicode category Cf) in a name, as "U+XXXX", or null. Zero-width
    /// spaces, word joiners, byte-order marks, soft hyphens and the bidirectional marks, embeddings, overrides
    /// and isolates (U+200E–U+200F, U+202A–U+202E, U+2066–U+2069) have no place in a name. The zero-width
    /// non-joiner and joiner (U+200C, U+200D) are kept: Persian and Indic names are spelt with them.
    /// </summary>
    public static string? HiddenCharacterIn(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format && rune.Value is not (0x200C or 0x200D))
            {
                return $"U+{rune.Value:X4}";
            }
        }

        return null;
    }
}

/// <summary>Read by the OpenAPI document (ValidatorConstraintsDocumentFilter) to show the count as minItems/maxItems.</summary>
public interface IItemCountValidator : IPropertyValidator
{
    int Min { get; }

    int Max { get; }
}

/// <summary>A list has <see cref="Min"/>–<see cref="Max"/> items; null passes (NotNull says whether it is required).</summary>
public sealed class ItemCountValidator<T, TItem>(int min, int max) : PropertyValidator<T, IReadOnlyList<TItem>?>, IItemCountValidator
{
    public override string Name => "ItemCountValidator";

    public int Min => min;

    public int Max => max;

    public override bool IsValid(ValidationContext<T> context, IReadOnlyList<TItem>? value)
    {
        if (value is null || (value.Count >= min && value.Count <= max))
        {
            return true;
        }

        context.MessageFormatter.AppendArgument("Min", min).AppendArgument("Max", max).AppendArgument("Count", value.Count);
        return false;
    }

    protected override string GetDefaultMessageTemplate(string errorCode) =>
        "'{PropertyName}' must have {Min} to {Max} items (has {Count}).";
}
