using ClinicTracker.Core.Patients;

namespace ClinicTracker.Core.Tests.Patients;

public sealed class PatientSearchTermTests
{
    [Fact]
    public void Of_GivesTheMrnWhole_AndEveryNameWordFolded_WithTheHyphenatedPartsToo()
    {
        // MRN as its uniqueness key spells it; "Smith-Jones" is SMITH-JONES and its parts SMITH, JONES; "Mary Ann" two words.
        var terms = PatientSearchTerm.Of("MRN-7", "Smith-Jones", "Mary Ann");

        Assert.Equal(["ANN", "JONES", "MARY", "MRN-7", "SMITH", "SMITH-JONES"], terms.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Of_GivesAWordWithAnApostropheAlsoWithoutIt_AndFoldsAccents()
    {
        // O’Brien → O'BRIEN and OBRIEN; Seán → SEAN; Müller → MULLER.
        var terms = PatientSearchTerm.Of("X1", "O’Brien Müller", "Seán");

        Assert.Equal(["MULLER", "O'BRIEN", "OBRIEN", "SEAN", "X1"], terms.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Of_CutsLongWordsToTheColumnLength()
    {
        // U+FDFA (one character) decomposes under NFKD into 18 letters and spaces: a 100-character name can grow.
        var terms = PatientSearchTerm.Of("M", new string('a', 150), "B");

        Assert.Contains(new string('A', PatientSearchTerm.MaxLength), terms);
        Assert.All(terms, t => Assert.True(t.Length <= PatientSearchTerm.MaxLength));
    }

    [Fact]
    public void WordsOf_FoldsSplitsAndDropsRepeats()
    {
        Assert.Equal(["MUL", "JOSE"], PatientSearchTerm.WordsOf("  mül  José MÜL "));
        Assert.Empty(PatientSearchTerm.WordsOf(null));
        Assert.Empty(PatientSearchTerm.WordsOf(" \u0301 "));
    }
}
