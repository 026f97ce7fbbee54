namespace ClinicTracker.Core.Common;

/// <summary>
/// Case-insensitive matching without provider-specific collations: searchable columns keep an
/// upper-cased copy, and search terms are upper-cased the same way before a plain LINQ comparison.
/// </summary>
public static class SearchText
{
    public static string Normalize(string value) => value.Trim().ToUpperInvariant();
}
