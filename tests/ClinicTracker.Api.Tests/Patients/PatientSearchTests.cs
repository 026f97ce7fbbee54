using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Patients;

/// <summary>
/// GET /patients?search= from the search-term index (issue 11): every word must start the MRN or a word of the family
/// or given name, case and accents aside, the same on SQLite and PostgreSQL.
/// </summary>
public sealed class PatientSearchTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly HttpClient frontDesk = factory.ClientFor("fd.search", "front-desk");

    /// <summary>A word of letters only that no other test's patient has (so accents can be put on it and it cannot look like an MRN).</summary>
    private static string Tag() => "Q" + string.Concat(Guid.NewGuid().ToByteArray().Take(10).Select(b => (char)('a' + (b % 26))));

    [Theory]
    [InlineData("mull")]
    [InlineData("MÜL")]
    [InlineData("Mul")]
    [InlineData("müller")]
    [InlineData("MULLER")]
    public async Task Search_Müller_IsFoundWithoutItsAccentAndInAnyCase(string word)
    {
        var tag = Tag();
        var id = await Register("Müller", tag);

        Assert.Equal([id], await Search($"{word} {tag}"));
    }

    [Fact]
    public async Task Search_José_IsFoundByJose_AndAnAccentedSearchFindsThePlainName()
    {
        var tag = Tag();
        var jose = await Register(tag, "José");
        var rene = await Register(tag, "Rene");

        Assert.Equal([jose], await Search($"jose {tag}"));
        Assert.Equal([jose], await Search($"JOSÉ {tag}"));
        Assert.Equal([rene], await Search($"rené {tag}"));
        // The accent is dropped from both sides: "jos" starts JOSE, "josx" starts nothing.
        Assert.Empty(await Search($"josx {tag}"));
    }

    [Fact]
    public async Task Search_ByMrnPrefix_InAnyCase_ButNotByTheMiddleOfTheMrn()
    {
        var mrn = "Mx-" + Guid.NewGuid().ToString("N")[..12];
        var id = (await PatientData.Register(frontDesk, PatientData.NewPatient(mrn)))["id"]!.GetValue<Guid>();

        Assert.Equal([id], await Search(mrn[..8].ToLowerInvariant()));
        Assert.Equal([id], await Search(mrn.ToUpperInvariant()));
        Assert.Empty(await Search(mrn[3..]));
    }

    [Fact]
    public async Task Search_WithSeveralWords_FindsOnlyPatientsMatchingEveryWord_InAnyOrder()
    {
        var tag = Tag();
        var anna = await Register("Müller", $"Anna {tag}");
        var jose = await Register("Müller", $"José {tag}");
        var other = await Register("Schmidt", $"Anna {tag}");

        Assert.Equal([anna, jose, other], await Search(tag));
        Assert.Equal([anna, jose], await Search($"{tag} muller"));
        Assert.Equal([jose], await Search($"müller josé {tag}"));
        Assert.Equal([anna], await Search($"an mü {tag}"));
        Assert.Equal([other], await Search($"{tag} SCH ANNA"));
        Assert.Empty(await Search($"{tag} nobody"));
    }

    [Fact]
    public async Task Search_FindsHyphenatedAndApostrophedNamesByEachPart()
    {
        var tag = Tag();
        var id = await Register("O’Brien-Núñez", tag);

        foreach (var search in new[] { "o'brien", "obri", "nunez", "o’brien-nú", "O'BRIEN-NUNEZ" })
        {
            Assert.Equal([id], await Search($"{search} {tag}"));
        }

        // A word is found from its start (or a part's start), not from its middle.
        Assert.Empty(await Search($"brien {tag}"));
    }

    [Fact]
    public async Task Search_PagesByNameAndId_WithTheCursor_ThroughIndexedMatches()
    {
        var tag = Tag();
        var ids = new List<Guid>();
        foreach (var family in new[] { "Delta", "Alpha", "Charlie", "Bravo", "Echo" })
        {
            ids.Add(await Register(family, tag));
        }

        // Sorted by family name: Alpha, Bravo, Charlie, Delta, Echo (registered as Delta, Alpha, Charlie, Bravo, Echo).
        var expected = new[] { ids[1], ids[3], ids[2], ids[0], ids[4] };
        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Page($"/api/v1/patients?search={tag.ToUpperInvariant()}&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.Ids);
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(expected, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Search_HidesArchivedPatients_UnlessAskedFor()
    {
        var tag = Tag();
        var kept = await Register("Ärchiv", tag);
        var archived = await Register("Archiv", tag);
        (await frontDesk.PostAsync($"/api/v1/patients/{archived}/archive", null)).EnsureSuccessStatusCode();

        Assert.Equal([kept], await Search($"archiv {tag}"));
        Assert.Equal(new[] { kept, archived }.Order(), (await Page($"/api/v1/patients?search=archiv+{tag}&includeArchived=true")).Ids.Order());
    }

    [Fact]
    public async Task Search_FollowsAChangeOfNameOrMrn_AtOnce()
    {
        var tag = Tag();
        var patient = await PatientData.Register(frontDesk, PatientData.NewPatient(family: "Müller", given: tag));
        var id = patient["id"]!.GetValue<Guid>();
        var newMrn = "Nw-" + Guid.NewGuid().ToString("N")[..12];

        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/patients/{id}")
        {
            Content = JsonContent.Create(PatientData.NewPatient(newMrn, given: tag, family: "Schröder")),
        };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        (await frontDesk.SendAsync(request)).EnsureSuccessStatusCode();

        Assert.Empty(await Search($"muller {tag}"));
        Assert.Empty(await Search(patient["mrn"]!.GetValue<string>()));
        Assert.Equal([id], await Search($"schroder {tag}"));
        Assert.Equal([id], await Search(newMrn.ToLowerInvariant()));
    }

    [Fact]
    public async Task SearchTerms_AreComparedByteForByte_CCollationOnPostgres_BinaryOnSqlite()
    {
        // A range on a language collation (en_US…) is not a prefix range; "C" and SQLite's BINARY both compare UTF-8 bytes.
        var collation = factory.Database.Provider == "postgres"
            ? await factory.Database.ScalarAsync(
                "SELECT collation_name FROM information_schema.columns WHERE table_name = 'patient_search_terms' AND column_name = 'Term'")
            : await factory.Database.ScalarAsync("SELECT sql FROM sqlite_master WHERE name = 'patient_search_terms'");

        if (factory.Database.Provider == "postgres")
        {
            Assert.Equal("C", collation);
        }
        else
        {
            var table = Assert.IsType<string>(collation);
            Assert.Contains("\"Term\" TEXT NOT NULL", table, StringComparison.Ordinal);
            Assert.DoesNotContain("COLLATE", table, StringComparison.OrdinalIgnoreCase);
        }
    }

    private async Task<Guid> Register(string family, string given) =>
        (await PatientData.Register(frontDesk, PatientData.NewPatient(family: family, given: given)))["id"]!.GetValue<Guid>();

    private async Task<List<Guid>> Search(string search) =>
        (await Page($"/api/v1/patients?search={Uri.EscapeDataString(search)}&limit=200")).Ids;

    private async Task<(List<Guid> Ids, string? Next)> Page(string path)
    {
        var response = await frontDesk.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.ReadObject();
        return ([.. page["items"]!.AsArray().Select(p => p!["id"]!.GetValue<Guid>())], page["nextCursor"]?.GetValue<string>());
    }
}
