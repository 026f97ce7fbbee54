using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Core.Sites;

namespace ClinicTracker.Api.Tests.Sites;

/// <summary>
/// The group's sites (domain.md §14; api-outline.md): admins add and change them, every role reads them. Other tests of
/// this class add sites to the same database, so each test names its own (Http.Unique) and never counts the whole list.
/// </summary>
public sealed class SiteEndpointsTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly HttpClient admin = factory.ClientFor("admin.sites", "admin");

    /// <summary>A DEA number of two letters, six random digits and their check digit (see DeaNumberTests for the rule worked by hand).</summary>
    internal static string NewDea(string letters = "AB")
    {
        var d = Enumerable.Range(0, 6).Select(_ => Random.Shared.Next(10)).ToArray();
        var check = (d[0] + d[2] + d[4] + (2 * (d[1] + d[3] + d[5]))) % 10;
        return letters + string.Concat(d) + check;
    }

    /// <summary>The same number with the check digit off by one: every other part is well formed.</summary>
    private static string WithWrongCheckDigit(string dea) => dea[..8] + (char)('0' + ((dea[8] - '0' + 1) % 10));

    private async Task<JsonObject> Create(object site) =>
        await (await admin.PostAsJsonAsync("/api/v1/sites", site).EnsureStatus(HttpStatusCode.Created)).ReadObject();

    private async Task<List<JsonObject>> ListAll(string query = "")
    {
        var items = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var page = await (await admin.GetAsync($"/api/v1/sites?limit=200{query}{(cursor is null ? "" : $"&cursor={cursor}")}")).EnsureSuccessObject();
            items.AddRange(page["items"]!.AsArray().Select(i => i!.AsObject()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        return items;
    }

    /// <summary>
    /// The same site: every field equal, the instants to the microsecond. PostgreSQL keeps whole microseconds
    /// (ADR 0014), so a read can show fewer digits than the 201 or 200 that stored the row.
    /// </summary>
    internal static void AssertSameSite(JsonObject expected, JsonObject actual)
    {
        foreach (var instant in new[] { "createdAt", "updatedAt" })
        {
            var difference = expected[instant]!.GetValue<DateTime>() - actual[instant]!.GetValue<DateTime>();
            Assert.True(difference.Duration() < TimeSpan.FromMicroseconds(1), $"{instant}: {expected[instant]} vs {actual[instant]}");
        }

        static string WithoutInstants(JsonObject site)
        {
            var copy = site.DeepClone().AsObject();
            copy.Remove("createdAt");
            copy.Remove("updatedAt");
            return copy.ToJsonString();
        }

        Assert.Equal(WithoutInstants(expected), WithoutInstants(actual));
    }

    private static HttpRequestMessage Patch(object siteId, string json, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/sites/{siteId}") { Content = Http.Json(json) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        }

        return request;
    }

    [Fact]
    public async Task Create_ByAdmin_Returns201WithLocationAndETag_AndTheSiteReadsBack()
    {
        var name = Http.Unique("North clinic");
        var dea = NewDea();

        var response = await admin.PostAsJsonAsync("/api/v1/sites",
            new { name, timeZone = "America/Chicago", address = "1 Lake St, Chicago IL", deaRegistration = dea });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        var body = await response.ReadObject();
        Assert.Equal(name, body["name"]!.GetValue<string>());
        Assert.Equal("America/Chicago", body["timeZone"]!.GetValue<string>());
        Assert.Equal("1 Lake St, Chicago IL", body["address"]!.GetValue<string>());
        Assert.Equal(dea, body["deaRegistration"]!.GetValue<string>());
        Assert.True(body["active"]!.GetValue<bool>());
        Assert.Equal(1, body["version"]!.GetValue<int>());
        Assert.Equal($"/api/v1/sites/{body["id"]}", response.Headers.Location?.OriginalString);

        var read = await admin.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        AssertSameSite(body, await read.ReadObject());
    }

    [Fact]
    public async Task Create_WithLowerCaseDea_StoresItUpperCased_AndWithoutOptionalFields_LeavesThemNull()
    {
        var dea = NewDea("FK");

        var withDea = await Create(new { name = Http.Unique("Lower dea"), timeZone = "UTC", deaRegistration = dea.ToLowerInvariant() });
        var bare = await Create(new { name = Http.Unique("Bare"), timeZone = "Europe/London" });

        Assert.Equal(dea, withDea["deaRegistration"]!.GetValue<string>());
        Assert.Null(bare["address"]);
        Assert.Null(bare["deaRegistration"]);
    }

    [Fact]
    public async Task DefaultSite_ExistsAfterTheMigration_NamedMainSite_ActiveInUtcOnAFreshDatabase()
    {
        var response = await admin.GetAsync($"/api/v1/sites/{Site.DefaultId}");

        var body = await response.EnsureSuccessObject();
        Assert.Equal("00000000-0000-0000-0000-000000000001", body["id"]!.GetValue<string>());
        Assert.Equal("Main site", body["name"]!.GetValue<string>());
        // No plans existed when the migration ran, so the most used plan zone is none: UTC.
        Assert.Equal("UTC", body["timeZone"]!.GetValue<string>());
        Assert.True(body["active"]!.GetValue<bool>());
        Assert.Contains(await ListAll(), s => s["id"]!.GetValue<Guid>() == Site.DefaultId);
    }

    [Fact]
    public async Task List_IsOrderedByNameIgnoringCase_AndKeysetPagesCoverEverySiteOnce()
    {
        // One prefix, three names that sort Alpha < bravo < Charlie when case is ignored (ordinal order would put
        // "bravo" last); created out of order.
        var prefix = Http.Unique("Order");
        foreach (var suffix in new[] { "Charlie", "bravo", "Alpha" })
        {
            await Create(new { name = $"{prefix} {suffix}", timeZone = "UTC" });
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await admin.GetAsync($"/api/v1/sites?limit=1{(cursor is null ? "" : $"&cursor={cursor}")}")).EnsureSuccessObject();
            var items = page["items"]!.AsArray();
            Assert.True(items.Count <= 1);
            seen.AddRange(items.Select(i => i!["name"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
            Assert.True(pages < 500, "paging does not end");
        }
        while (cursor is not null);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal([.. (await ListAll()).Select(s => s["name"]!.GetValue<string>())], seen);
        Assert.Equal([$"{prefix} Alpha", $"{prefix} bravo", $"{prefix} Charlie"], seen.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task List_ActiveFilter_SeparatesActiveAndInactiveSites()
    {
        var open = await Create(new { name = Http.Unique("Open"), timeZone = "UTC" });
        var closed = await Create(new { name = Http.Unique("Closed"), timeZone = "UTC", active = false });
        Assert.False(closed["active"]!.GetValue<bool>());

        var active = (await ListAll("&active=true")).Select(s => s["id"]!.GetValue<Guid>()).ToList();
        var inactive = (await ListAll("&active=false")).Select(s => s["id"]!.GetValue<Guid>()).ToList();
        var all = (await ListAll()).Select(s => s["id"]!.GetValue<Guid>()).ToList();

        Assert.Contains(open["id"]!.GetValue<Guid>(), active);
        Assert.DoesNotContain(closed["id"]!.GetValue<Guid>(), active);
        Assert.Contains(closed["id"]!.GetValue<Guid>(), inactive);
        Assert.DoesNotContain(open["id"]!.GetValue<Guid>(), inactive);
        Assert.Contains(open["id"]!.GetValue<Guid>(), all);
        Assert.Contains(closed["id"]!.GetValue<Guid>(), all);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("cursor=%25%25not-base64", "cursor")]
    [InlineData("active=maybe", "active")]
    public async Task List_WithBadQuery_Returns400NamingIt(string query, string field)
    {
        await (await admin.GetAsync($"/api/v1/sites?{query}")).AssertValidationError(field);
    }

    [Fact]
    public async Task Patch_ChangesOnlyWhatIsSent_ClearsAddressWithEmptyString_AndBumpsTheETag()
    {
        var dea = NewDea();
        var created = await Create(new { name = Http.Unique("Patch me"), timeZone = "America/New_York", address = "2 Main St", deaRegistration = dea });
        var id = created["id"]!;
        var newName = Http.Unique("Renamed");

        var renamed = await admin.SendAsync(Patch(id, $$"""{"name":"{{newName}}"}"""));
        var body = await renamed.EnsureSuccessObject();
        Assert.Equal("\"2\"", renamed.Headers.ETag?.Tag);
        Assert.Equal(newName, body["name"]!.GetValue<string>());
        Assert.Equal("America/New_York", body["timeZone"]!.GetValue<string>());
        Assert.Equal("2 Main St", body["address"]!.GetValue<string>());
        Assert.Equal(dea, body["deaRegistration"]!.GetValue<string>());
        Assert.True(body["active"]!.GetValue<bool>());
        Assert.True((created["createdAt"]!.GetValue<DateTime>() - body["createdAt"]!.GetValue<DateTime>()).Duration() < TimeSpan.FromMicroseconds(1));

        var cleared = await (await admin.SendAsync(Patch(id, """{"address":""}"""))).EnsureSuccessObject();
        Assert.Null(cleared["address"]);
        Assert.Equal(dea, cleared["deaRegistration"]!.GetValue<string>());
        Assert.Equal(newName, cleared["name"]!.GetValue<string>());
        Assert.Equal(3, cleared["version"]!.GetValue<int>());

        var noDea = await (await admin.SendAsync(Patch(id, """{"deaRegistration":"","timeZone":"Pacific/Auckland"}"""))).EnsureSuccessObject();
        Assert.Null(noDea["deaRegistration"]);
        Assert.Equal("Pacific/Auckland", noDea["timeZone"]!.GetValue<string>());

        var read = await (await admin.GetAsync($"/api/v1/sites/{id}")).EnsureSuccessObject();
        AssertSameSite(noDea, read);
    }

    [Fact]
    public async Task Patch_WithStaleIfMatch_Returns412AndChangesNothing_WithCurrentIfMatch_Succeeds()
    {
        var created = await Create(new { name = Http.Unique("Etag"), timeZone = "UTC" });
        var id = created["id"]!;
        await (await admin.SendAsync(Patch(id, """{"address":"first change"}""", "\"1\""))).EnsureSuccess();

        var stale = await admin.SendAsync(Patch(id, """{"address":"lost update"}""", "\"1\""));

        await stale.AssertProblem(HttpStatusCode.PreconditionFailed, "precondition.failed");
        var read = await (await admin.GetAsync($"/api/v1/sites/{id}")).EnsureSuccessObject();
        Assert.Equal("first change", read["address"]!.GetValue<string>());
        Assert.Equal(2, read["version"]!.GetValue<int>());
        var current = await admin.SendAsync(Patch(id, """{"address":"second change"}""", "\"2\""));
        Assert.Equal("\"3\"", (await current.EnsureSuccess()).Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Patch_ActiveFalse_DeactivatesTheSite_AndActiveTrueReopensIt()
    {
        var created = await Create(new { name = Http.Unique("Closing"), timeZone = "UTC" });

        var closed = await (await admin.SendAsync(Patch(created["id"]!, """{"active":false}"""))).EnsureSuccessObject();
        Assert.False(closed["active"]!.GetValue<bool>());
        Assert.Equal(created["name"]!.GetValue<string>(), closed["name"]!.GetValue<string>());
        Assert.False((await (await admin.GetAsync($"/api/v1/sites/{created["id"]}")).EnsureSuccessObject())["active"]!.GetValue<bool>());

        var reopened = await (await admin.SendAsync(Patch(created["id"]!, """{"active":true}"""))).EnsureSuccessObject();
        Assert.True(reopened["active"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""{"timeZone":"UTC"}""", "name")]
    [InlineData("""{"name":"","timeZone":"UTC"}""", "name")]
    [InlineData("""{"name":"No zone"}""", "timeZone")]
    [InlineData("""{"name":"Mars","timeZone":"Mars/Olympus_Mons"}""", "timeZone")]
    [InlineData("""{"name":"Offset","timeZone":"+05:00"}""", "timeZone")]
    [InlineData("""{"name":"Windows id","timeZone":"Central Standard Time"}""", "timeZone")]
    [InlineData("""{"name":"Short dea","timeZone":"UTC","deaRegistration":"AB123456"}""", "deaRegistration")]
    [InlineData("""{"name":"Digit first","timeZone":"UTC","deaRegistration":"1B1234563"}""", "deaRegistration")]
    [InlineData("""{"name":"Colour","timeZone":"UTC","colour":"red"}""", "colour")]
    [InlineData("""{"name":"Active text","timeZone":"UTC","active":"yes"}""", "active")]
    public async Task Create_Invalid_Returns400NamingTheField(string json, string field)
    {
        var response = await admin.PostAsync("/api/v1/sites", Http.Json(json));

        await response.AssertValidationError(field);
    }

    [Theory]
    [InlineData("\u200B")] // zero-width space
    [InlineData("\u2060")] // word joiner
    [InlineData("\u202E")] // right-to-left override: the screen shows other letters than the record holds
    [InlineData("\u0007")] // a control character
    public async Task Create_NameWithAnInvisibleOrControlCharacter_Returns400_SoNoTwoSitesLookAlike(string hidden)
    {
        // "Main site" exists (the migration made it); "Main<hidden> site" would show staff the same name for another
        // site, and the duplicate check (upper-cased text) would not see it: staff would place records at the wrong site.
        var response = await admin.PostAsJsonAsync("/api/v1/sites", new { name = $"Main{hidden} site", timeZone = "UTC" });
        var renamed = await Create(new { name = Http.Unique("Rename hidden"), timeZone = "UTC" });
        var patch = await admin.PatchAsync($"/api/v1/sites/{renamed["id"]}", JsonContent.Create(new { name = $"Main{hidden} site" }));

        await response.AssertValidationError("name");
        await patch.AssertValidationError("name");
    }

    [Fact]
    public async Task Create_WithWrongDeaCheckDigit_Returns400()
    {
        var dea = WithWrongCheckDigit(NewDea());

        var response = await admin.PostAsJsonAsync("/api/v1/sites", new { name = Http.Unique("Bad dea"), timeZone = "UTC", deaRegistration = dea });

        await response.AssertValidationError("deaRegistration");
    }

    [Theory]
    [InlineData("{}", "body")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"timeZone":"Not/AZone"}""", "timeZone")]
    [InlineData("""{"timeZone":""}""", "timeZone")]
    [InlineData("""{"deaRegistration":"AB1234564"}""", "deaRegistration")]
    [InlineData("""{"colour":"red"}""", "colour")]
    public async Task Patch_Invalid_Returns400NamingTheField(string json, string field)
    {
        var created = await Create(new { name = Http.Unique("Patch invalid"), timeZone = "UTC" });

        await (await admin.SendAsync(Patch(created["id"]!, json))).AssertValidationError(field);
    }

    [Fact]
    public async Task Create_DuplicateNameInAnotherCase_Returns409SiteDuplicate()
    {
        var name = Http.Unique("Riverside");
        await Create(new { name, timeZone = "UTC" });

        var upper = await admin.PostAsJsonAsync("/api/v1/sites", new { name = name.ToUpperInvariant(), timeZone = "UTC" });
        var padded = await admin.PostAsJsonAsync("/api/v1/sites", new { name = $"  {name.ToLowerInvariant()} ", timeZone = "UTC" });

        await upper.AssertProblem(HttpStatusCode.Conflict, "site.duplicate");
        await padded.AssertProblem(HttpStatusCode.Conflict, "site.duplicate");
    }

    [Fact]
    public async Task Create_DuplicateDea_Returns409SiteDuplicate_EvenInLowerCase()
    {
        var dea = NewDea("BX");
        await Create(new { name = Http.Unique("Holds dea"), timeZone = "UTC", deaRegistration = dea });

        var same = await admin.PostAsJsonAsync("/api/v1/sites", new { name = Http.Unique("Same dea"), timeZone = "UTC", deaRegistration = dea });
        var lower = await admin.PostAsJsonAsync("/api/v1/sites",
            new { name = Http.Unique("Same dea lower"), timeZone = "UTC", deaRegistration = dea.ToLowerInvariant() });

        await same.AssertProblem(HttpStatusCode.Conflict, "site.duplicate");
        await lower.AssertProblem(HttpStatusCode.Conflict, "site.duplicate");
    }

    [Fact]
    public async Task Create_SeveralSitesWithoutDea_AreNotDuplicates()
    {
        // The DEA index is unique but several sites hold no registration (null) at all.
        await Create(new { name = Http.Unique("No dea 1"), timeZone = "UTC" });
        await Create(new { name = Http.Unique("No dea 2"), timeZone = "UTC" });
        await Create(new { name = Http.Unique("Empty dea"), timeZone = "UTC", deaRegistration = "" });
    }

    [Fact]
    public async Task Patch_ToAnotherSitesNameOrDea_Returns409_ToItsOwnNameInAnotherCase_Succeeds()
    {
        var dea = NewDea();
        var first = await Create(new { name = Http.Unique("First"), timeZone = "UTC", deaRegistration = dea });
        var second = await Create(new { name = Http.Unique("Second"), timeZone = "UTC" });
        var firstName = first["name"]!.GetValue<string>();

        await (await admin.SendAsync(Patch(second["id"]!, $$"""{"name":"{{firstName.ToLowerInvariant()}}"}""")))
            .AssertProblem(HttpStatusCode.Conflict, "site.duplicate");
        await (await admin.SendAsync(Patch(second["id"]!, $$"""{"deaRegistration":"{{dea}}"}""")))
            .AssertProblem(HttpStatusCode.Conflict, "site.duplicate");
        var unchanged = await (await admin.GetAsync($"/api/v1/sites/{second["id"]}")).EnsureSuccessObject();
        Assert.Equal(1, unchanged["version"]!.GetValue<int>());

        var recased = await (await admin.SendAsync(Patch(first["id"]!, $$"""{"name":"{{firstName.ToUpperInvariant()}}","deaRegistration":"{{dea}}"}""")))
            .EnsureSuccessObject();
        Assert.Equal(firstName.ToUpperInvariant(), recased["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownSite_Returns404_ForReadAndChange()
    {
        var unknown = Guid.NewGuid();

        await (await admin.GetAsync($"/api/v1/sites/{unknown}")).AssertProblem(HttpStatusCode.NotFound, "not-found");
        await (await admin.SendAsync(Patch(unknown, """{"active":false}"""))).AssertProblem(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("front-desk")]
    [InlineData("nurse")]
    [InlineData("prescriber")]
    [InlineData("integrator")]
    [InlineData("admin")]
    public async Task EveryRole_ReadsTheListAndASite(string role)
    {
        var created = await Create(new { name = Http.Unique($"Readable by {role}"), timeZone = "UTC" });
        var reader = factory.ClientFor($"site.reader.{role}", role);

        var list = await reader.GetAsync("/api/v1/sites?limit=200");
        var one = await reader.GetAsync($"/api/v1/sites/{created["id"]}");
        var main = await reader.GetAsync($"/api/v1/sites/{Site.DefaultId}");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        AssertSameSite(created, await one.EnsureSuccessObject());
        Assert.Equal(HttpStatusCode.OK, main.StatusCode);
    }

    [Theory]
    [InlineData("front-desk")]
    [InlineData("nurse")]
    [InlineData("prescriber")]
    [InlineData("integrator")]
    public async Task NonAdmin_CannotCreateOrChangeASite_403(string role)
    {
        var created = await Create(new { name = Http.Unique($"Not for {role}"), timeZone = "UTC" });
        var caller = factory.ClientFor($"site.writer.{role}", role);

        var post = await caller.PostAsJsonAsync("/api/v1/sites", new { name = Http.Unique("Sneaky"), timeZone = "UTC" });
        var patch = await caller.SendAsync(Patch(created["id"]!, """{"active":false}"""));

        await post.AssertProblem(HttpStatusCode.Forbidden);
        await patch.AssertProblem(HttpStatusCode.Forbidden);
        var read = await (await admin.GetAsync($"/api/v1/sites/{created["id"]}")).EnsureSuccessObject();
        Assert.True(read["active"]!.GetValue<bool>());
        Assert.Equal(1, read["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Anonymous_Gets401()
    {
        var anonymous = factory.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/sites")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/sites", new { name = "x", timeZone = "UTC" })).StatusCode);
    }

    [Fact]
    public async Task Create_RetriedWithTheSameIdempotencyKey_ReplaysTheFirst201_AndMakesOneSite()
    {
        var site = new { name = Http.Unique("Retried"), timeZone = "America/Denver", deaRegistration = NewDea() };
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Request() => new(HttpMethod.Post, "/api/v1/sites") { Content = JsonContent.Create(site), Headers = { { "Idempotency-Key", key } } };

        var first = await admin.SendAsync(Request());
        var retry = await admin.SendAsync(Request());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.True(retry.StatusCode == HttpStatusCode.Created, $"The retry got {(int)retry.StatusCode}: {await retry.Content.ReadAsStringAsync()}");
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Single(await ListAll(), s => s["name"]!.GetValue<string>() == site.name);

        // Without the key, the same body is a second attempt: a duplicate.
        await (await admin.PostAsJsonAsync("/api/v1/sites", site)).AssertProblem(HttpStatusCode.Conflict, "site.duplicate");
    }
}
