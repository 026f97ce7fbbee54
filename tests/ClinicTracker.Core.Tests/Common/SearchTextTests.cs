using ClinicTracker.Core.Common;

namespace ClinicTracker.Core.Tests.Common;

public sealed class SearchTextTests
{
    // Worked by hand: NFKD splits a letter from its accents (ü = u + U+0308, é = e + U+0301, ễ = e + U+0302 + U+0303,
    // İ = I + U+0307), the combining marks are dropped, the rest is upper-cased (invariant: ı → I, ς → Σ) and the
    // letters that do not decompose are spelt out (ß → SS, Ø → O, Ł → L, Æ → AE). Full-width letters and the ligature
    // ﬁ are compatibility forms of M, U… and F I. NBSP is a space; runs of spaces become one.
    [Theory]
    [InlineData("Müller", "MULLER")]
    [InlineData("MÜL", "MUL")]
    [InlineData("Mul", "MUL")]
    [InlineData("mull", "MULL")]
    [InlineData("José", "JOSE")]
    [InlineData("jose", "JOSE")]
    [InlineData("Ñúñez", "NUNEZ")]
    [InlineData("Dvořák", "DVORAK")]
    [InlineData("Nguyễn", "NGUYEN")]
    [InlineData("Straße", "STRASSE")]
    [InlineData("Øystein", "OYSTEIN")]
    [InlineData("Łukasz", "LUKASZ")]
    [InlineData("Ærø", "AERO")]
    [InlineData("İpek ırmak", "IPEK IRMAK")]
    [InlineData("Σοφία", "ΣΟΦΙΑ")]
    [InlineData("ＭＵＬＬＥＲ", "MULLER")]
    [InlineData("ﬁona", "FIONA")]
    [InlineData("O’Brien", "O'BRIEN")]
    [InlineData("Smith–Jones", "SMITH-JONES")]
    [InlineData("  van   der\u00A0Berg ", "VAN DER BERG")]
    [InlineData("Farah\u200Cnaz", "FARAHNAZ")]
    [InlineData("ab-12", "AB-12")]
    [InlineData("", "")]
    public void Fold_IgnoresCaseAccentsAndCompatibilityForms(string text, string expected) =>
        Assert.Equal(expected, SearchText.Fold(text));

    [Fact]
    public void Normalize_StillKeepsAccents_SoMrnAndUserNameUniquenessMeanWhatTheyDid() =>
        Assert.Equal("MÜLLER-1", SearchText.Normalize(" müller-1 "));

    // The next code point after the last: 'L' (U+004C) → 'M'; '-' (U+002D) → '.'; 'Z' → '['; U+D7FF → U+E000 (the
    // surrogates in between are not characters); U+FFFF → U+10000 (a surrogate pair in UTF-16); a trailing U+10FFFF
    // has no successor, so the character before it moves up instead, and a prefix of only U+10FFFF has no bound.
    [Theory]
    [InlineData("MUL", "MUM")]
    [InlineData("AB-", "AB.")]
    [InlineData("Z", "[")]
    [InlineData("\uD7FF", "\uE000")]
    [InlineData("\uFFFF", "\uD800\uDC00")]
    [InlineData("A\uDBFF\uDFFF", "B")]
    [InlineData("\uDBFF\uDFFF", null)]
    public void PrefixUpperBound_IsThePrefixWithItsLastCharacterMovedUp(string prefix, string? expected) =>
        Assert.Equal(expected, SearchText.PrefixUpperBound(prefix));

    [Fact]
    public void Truncate_NeverSplitsASurrogatePair()
    {
        Assert.Equal("AB", SearchText.Truncate("ABC", 2));
        // "A" + U+1F600 (two UTF-16 units): cut at 2 would leave half the pair, so only "A" is kept.
        Assert.Equal("A", SearchText.Truncate("A\uD83D\uDE00", 2));
        Assert.Equal("A\uD83D\uDE00", SearchText.Truncate("A\uD83D\uDE00", 3));
    }
}
