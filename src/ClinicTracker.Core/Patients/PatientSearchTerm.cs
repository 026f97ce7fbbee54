using ClinicTracker.Core.Common;

namespace ClinicTracker.Core.Patients;

/// <summary>
/// One word a patient is found by (GET /patients?search=): the normalized MRN, or a word of the family or given name
/// in its search form (<see cref="SearchText.Fold"/>). Derived data, kept in step with the patient by
/// <see cref="PatientSearchIndex"/> in the same save; a search word matches by prefix, as an index range on
/// <see cref="Term"/> (docs/performance.md, "Patient search").
/// </summary>
public sealed class PatientSearchTerm : Sites.IPatientLinked
{
    /// <summary>Longest term kept; longer words (NFKD can lengthen a name) and search words are cut to it alike.</summary>
    public const int MaxLength = 100;

    private PatientSearchTerm()
    {
    }

    public Guid Id { get; private set; }

    public Guid PatientId { get; private set; }

    /// <summary>The word in search form; compared byte for byte (the "C" collation on PostgreSQL, BINARY on SQLite).</summary>
    public string Term { get; private set; } = "";

    internal static PatientSearchTerm For(Guid patientId, string term) =>
        new() { Id = Guid.CreateVersion7(), PatientId = patientId, Term = term };

    /// <summary>
    /// The words a patient is found by. Each word of "FAMILY GIVEN" is a term (the search of before: a word starts
    /// the family name or a later word); a hyphenated word also gives its parts ("Smith-Jones": SMITH-JONES, SMITH,
    /// JONES) and a word with apostrophes also gives itself without them ("O'Brien": O'BRIEN, OBRIEN). The MRN is one
    /// term as its uniqueness key spells it (<see cref="Patient.MrnNormalized"/>), hyphens and all.
    /// </summary>
    public static IReadOnlySet<string> Of(string mrnNormalized, string familyName, string givenName)
    {
        var terms = new HashSet<string>(StringComparer.Ordinal) { SearchText.Truncate(mrnNormalized, MaxLength) };
        foreach (var word in SearchText.Fold(familyName + " " + givenName).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var spelling in new[] { word, word.Replace("'", "", StringComparison.Ordinal) })
            {
                Add(spelling);
                if (spelling.Contains('-', StringComparison.Ordinal))
                {
                    foreach (var part in spelling.Split('-', StringSplitOptions.RemoveEmptyEntries))
                    {
                        Add(part);
                    }
                }
            }
        }

        return terms;

        void Add(string term)
        {
            if (term.Length > 0)
            {
                terms.Add(SearchText.Truncate(term, MaxLength));
            }
        }
    }

    /// <summary>The search words of a query: its words in search form, each cut as terms are (empty for a blank query).</summary>
    public static IReadOnlyList<string> WordsOf(string? search) =>
        [.. SearchText.Fold(search ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => SearchText.Truncate(w, MaxLength)).Distinct(StringComparer.Ordinal)];
}
