using System.Globalization;
using System.Text;

namespace ClinicTracker.Core.Common;

/// <summary>
/// Case-insensitive matching without provider-specific collations: searchable columns keep an
/// upper-cased copy, and search terms are upper-cased the same way before a plain LINQ comparison.
/// </summary>
public static class SearchText
{
    /// <summary>Trimmed and upper-cased: the key of MRN, user-name and site-name uniqueness. Accents still count here.</summary>
    public static string Normalize(string value) => value.Trim().ToUpperInvariant();

    /// <summary>
    /// Letters that neither decompose nor change case into plain Latin letters, spelt as they are written without
    /// the mark (DIN 5007-2 for ß; the usual transliterations for the rest). They are looked up upper-cased.
    /// </summary>
    private static readonly Dictionary<int, string> Spelt = new()
    {
        ['ß'] = "SS", ['ẞ'] = "SS", ['Æ'] = "AE", ['Œ'] = "OE", ['Ø'] = "O", ['Ł'] = "L", ['Đ'] = "D",
        ['Ð'] = "D", ['Þ'] = "TH", ['Ħ'] = "H", ['Ŧ'] = "T",
        // Dotless ı has no invariant upper case in .NET (only Turkish culture maps it to I).
        ['ı'] = "I",
    };

    /// <summary>
    /// The search form of a text: case- and accent-insensitive, the same on every database because it is made here
    /// and compared byte for byte ("Müller", "MÜLLER" and "Muller" all give "MULLER"; "José" gives "JOSE").
    /// Compatibility forms are unified first (NFKD: full-width "Ｍ" is "M", the ligature "ﬁ" is "FI"), then every
    /// combining mark is dropped, letters are upper-cased (invariant culture) and the letters above spelt out.
    /// Apostrophes (’ ‘ ʼ ` ´) become ', dashes become -, any white space one space; control and invisible format
    /// characters (the zero-width joiners names may hold) are dropped. Words are separated by single spaces.
    /// </summary>
    public static string Fold(string value)
    {
        // Apostrophes first: NFKD would split the acute accent ´ into a space and a combining mark. Enumerating runes
        // also replaces a lone surrogate (which Normalize refuses) with U+FFFD.
        var apostrophes = new StringBuilder(value.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            apostrophes.Append(rune.Value is '’' or '‘' or 'ʼ' or '`' or '´' ? "'" : rune.ToString());
        }

        var decomposed = apostrophes.ToString().Normalize(NormalizationForm.FormKD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format or UnicodeCategory.Control:
                    continue;
                case UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator:
                    folded.Append(' ');
                    continue;
                case UnicodeCategory.DashPunctuation:
                    folded.Append('-');
                    continue;
            }

            var upper = Rune.ToUpperInvariant(rune);
            if (Spelt.TryGetValue(upper.Value, out var spelt))
            {
                folded.Append(spelt);
            }
            else
            {
                folded.Append(upper.ToString());
            }
        }

        return string.Join(' ', folded.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// The least string above every string that starts with <paramref name="prefix"/>, in code-point order (the
    /// order of SQLite's BINARY and PostgreSQL's "C" collation, both of which compare UTF-8 bytes): the prefix with
    /// its last character moved up by one ("MUL" → "MUM"). So <c>term &gt;= prefix AND term &lt; bound</c> is
    /// exactly "term starts with prefix", as a range an index can seek. Null when no bound exists (a prefix of
    /// nothing but U+10FFFF).
    /// </summary>
    public static string? PrefixUpperBound(string prefix)
    {
        var runes = prefix.EnumerateRunes().ToList();
        while (runes.Count > 0)
        {
            var last = runes[^1].Value;
            runes.RemoveAt(runes.Count - 1);
            if (last < 0x10FFFF)
            {
                // Surrogate code points are not characters: the one after U+D7FF is U+E000.
                runes.Add(new Rune(last + 1 == 0xD800 ? 0xE000 : last + 1));
                return string.Concat(runes.Select(r => r.ToString()));
            }
        }

        return null;
    }

    /// <summary>The first <paramref name="maxLength"/> UTF-16 units of <paramref name="value"/>, never splitting a surrogate pair.</summary>
    public static string Truncate(string value, int maxLength)
    {
        if (value.Length <= maxLength)
        {
            return value;
        }

        return char.IsHighSurrogate(value[maxLength - 1]) ? value[..(maxLength - 1)] : value[..maxLength];
    }
}
