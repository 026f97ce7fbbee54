using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Patients;

public sealed class PatientEndpointsTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly HttpClient frontDesk = factory.ClientFor("fd.jones", "front-desk");

    [Fact]
    public async Task Register_ValidPatient_Returns201WithLocationETagAndBody()
    {
        var mrn = Http.Unique("MRN");
        var response = await frontDesk.PostAsJsonAsync("/api/v1/patients", PatientData.NewPatient(mrn, "Grace", "Hopper", "1961-02-28"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadObject();
        var id = body["id"]!.GetValue<Guid>();
        Assert.Equal($"/api/v1/patients/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal(mrn, body["mrn"]!.GetValue<string>());
        Assert.Equal("1961-02-28", body["dateOfBirth"]!.GetValue<string>());
        Assert.Equal("female", body["sex"]!.GetValue<string>());
        Assert.False(body["archived"]!.GetValue<bool>());

        var read = await frontDesk.GetAsync($"/api/v1/patients/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("Hopper", (await read.ReadObject())["familyName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Register_DuplicateMrnInAnyCase_Returns409()
    {
        var mrn = Http.Unique("mrn");
        await PatientData.Register(frontDesk, PatientData.NewPatient(mrn));

        var response = await frontDesk.PostAsJsonAsync("/api/v1/patients", PatientData.NewPatient(mrn.ToUpperInvariant()));

        await response.AssertProblem(HttpStatusCode.Conflict, "patient.duplicate-mrn");
    }

    [Fact]
    public async Task Register_SameMrnConcurrently_ExactlyOneIsStored()
    {
        var mrn = Http.Unique("MRN");
        var attempts = Enumerable.Range(0, 8).Select(i =>
            factory.ClientFor($"fd.{i}", "front-desk").PostAsJsonAsync("/api/v1/patients", PatientData.NewPatient(mrn)));

        var responses = await Task.WhenAll(attempts);

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created),
            r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var found = await (await frontDesk.GetAsync($"/api/v1/patients?search={mrn}")).ReadObject();
        Assert.Single(found["items"]!.AsArray());
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"mrn":"has space","givenName":"A","familyName":"B","dateOfBirth":"1980-01-01","sex":"male"}""", "mrn" },
        { """{"mrn":"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456","givenName":"A","familyName":"B","dateOfBirth":"1980-01-01","sex":"male"}""", "mrn" },
        { """{"givenName":"A","familyName":"B","dateOfBirth":"1980-01-01","sex":"male"}""", "mrn" },
        { """{"mrn":"M-1","givenName":"","familyName":"B","dateOfBirth":"1980-01-01","sex":"male"}""", "givenName" },
        { """{"mrn":"M-1","givenName":"A","familyName":"B","dateOfBirth":"1899-12-31","sex":"male"}""", "dateOfBirth" },
        { """{"mrn":"M-1","givenName":"A","familyName":"B","dateOfBirth":"2999-01-01","sex":"male"}""", "dateOfBirth" },
        { """{"mrn":"M-1","givenName":"A","familyName":"B","dateOfBirth":"10/12/1980","sex":"male"}""", "dateOfBirth" },
        { """{"mrn":"M-1","givenName":"A","familyName":"B","dateOfBirth":"1980-01-01","sex":"femal"}""", "sex" },
        { """{"mrn":"M-1","givenName":"A","familyName":"B","dateOfBirth":"1980-01-01","sex":1}""", "sex" },
        { """{"mrn":"M-1","givenName":"A","familyName":"B","dateOfBirth":"1980-01-01"}""", "sex" },
        { """{"mrn":12,"givenName":"A","familyName":"B","dateOfBirth":"1980-01-01","sex":"male"}""", "mrn" },
        { """{"mrn":"M-1","givenName":"A","familyName":"B","dateOfBirth":"1980-01-01","sex":"male","nickname":"x"}""", "nickname" },
        { """{"mrn":"M-1","givenName":"A","familyName":"B",""", "body" },
        { "[]", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Register_InvalidBody_Returns400NamingTheFieldAndStoresNothing(string json, string field)
    {
        var response = await frontDesk.PostAsync("/api/v1/patients", Http.Json(json));

        await response.AssertValidationError(field);
        var stored = await (await frontDesk.GetAsync("/api/v1/patients?search=M-1&includeArchived=true")).ReadObject();
        Assert.Empty(stored["items"]!.AsArray());
    }

    [Fact]
    public async Task Register_NameOver100Characters_Returns400()
    {
        var response = await frontDesk.PostAsJsonAsync("/api/v1/patients", PatientData.NewPatient(given: new string('a', 101)));

        await response.AssertValidationError("givenName");
    }

    [Fact]
    public async Task Get_UnknownId_Returns404Problem()
    {
        var response = await frontDesk.GetAsync($"/api/v1/patients/{Guid.NewGuid()}");

        await response.AssertProblem(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Search_ByMrnPrefixFamilyOrGivenName_IsCaseInsensitive()
    {
        var family = Http.Unique("Zed");
        var patient = await PatientData.Register(frontDesk, PatientData.NewPatient(family: family, given: "Marguerite"));
        var mrn = patient["mrn"]!.GetValue<string>();

        foreach (var search in new[] { mrn.ToLowerInvariant(), family.ToLowerInvariant(), $"marg {family[..6]}", $"{family} MARGUERITE" })
        {
            var page = await (await frontDesk.GetAsync($"/api/v1/patients?search={Uri.EscapeDataString(search)}")).ReadObject();
            Assert.Contains(page["items"]!.AsArray(), p => p!["id"]!.GetValue<Guid>() == patient["id"]!.GetValue<Guid>());
        }

        var none = await (await frontDesk.GetAsync($"/api/v1/patients?search={family}+Nobody")).ReadObject();
        Assert.Empty(none["items"]!.AsArray());
    }

    [Fact]
    public async Task Search_PagesWithCursor_StableWhenPatientsAreAddedBetweenPages()
    {
        // Family names share a unique prefix so only this test's patients match; sorted B, D, F.
        var prefix = Http.Unique("Pg");
        foreach (var letter in new[] { "F", "B", "D" })
        {
            await PatientData.Register(frontDesk, PatientData.NewPatient(family: prefix + letter));
        }

        var first = await (await frontDesk.GetAsync($"/api/v1/patients?search={prefix}&limit=2")).ReadObject();
        Assert.Equal([prefix + "B", prefix + "D"], first["items"]!.AsArray().Select(p => p!["familyName"]!.GetValue<string>()));
        var cursor = first["nextCursor"]!.GetValue<string>();

        // A patient that sorts before the cursor must not shift the next page; one after it appears in order.
        await PatientData.Register(frontDesk, PatientData.NewPatient(family: prefix + "A"));
        await PatientData.Register(frontDesk, PatientData.NewPatient(family: prefix + "E"));

        var second = await (await frontDesk.GetAsync($"/api/v1/patients?search={prefix}&limit=2&cursor={cursor}")).ReadObject();
        Assert.Equal([prefix + "E", prefix + "F"], second["items"]!.AsArray().Select(p => p!["familyName"]!.GetValue<string>()));
        Assert.Null(second["nextCursor"]);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("cursor=not-base64!", "cursor")]
    [InlineData("cursor=Zm9v", "cursor")]
    public async Task Search_BadPagingParameters_Return400(string query, string field)
    {
        var response = await frontDesk.GetAsync($"/api/v1/patients?{query}");

        await response.AssertValidationError(field);
    }

    [Fact]
    public async Task Update_WithoutIfMatch_Returns428AndChangesNothing()
    {
        var patient = await PatientData.Register(frontDesk);
        var id = patient["id"]!.GetValue<Guid>();

        var response = await frontDesk.PutAsJsonAsync($"/api/v1/patients/{id}", PatientData.NewPatient(patient["mrn"]!.GetValue<string>(), given: "Changed"));

        await response.AssertProblem(HttpStatusCode.PreconditionRequired, "precondition.required");
        Assert.Equal("Ada", (await (await frontDesk.GetAsync($"/api/v1/patients/{id}")).ReadObject())["givenName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_WithCurrentETag_Returns200AndNewETag_ThenStaleETagReturns412()
    {
        var patient = await PatientData.Register(frontDesk);
        var id = patient["id"]!.GetValue<Guid>();
        var mrn = patient["mrn"]!.GetValue<string>();

        var update = await Put(id, PatientData.NewPatient(mrn, given: "Augusta"), "\"1\"");
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("\"2\"", update.Headers.ETag?.Tag);
        Assert.Equal("Augusta", (await update.ReadObject())["givenName"]!.GetValue<string>());

        var stale = await Put(id, PatientData.NewPatient(mrn, given: "Lost update"), "\"1\"");
        await stale.AssertProblem(HttpStatusCode.PreconditionFailed, "precondition.failed");
        Assert.Equal("Augusta", (await (await frontDesk.GetAsync($"/api/v1/patients/{id}")).ReadObject())["givenName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_ToAnotherPatientsMrn_Returns409()
    {
        var taken = await PatientData.Register(frontDesk);
        var patient = await PatientData.Register(frontDesk);

        var response = await Put(patient["id"]!.GetValue<Guid>(), PatientData.NewPatient(taken["mrn"]!.GetValue<string>()), "\"1\"");

        await response.AssertProblem(HttpStatusCode.Conflict, "patient.duplicate-mrn");
    }

    [Fact]
    public async Task Archive_KeepsRecordReadable_HidesItFromSearch_AndRefusesChanges()
    {
        var patient = await PatientData.Register(frontDesk);
        var id = patient["id"]!.GetValue<Guid>();
        var mrn = patient["mrn"]!.GetValue<string>();

        var archive = await frontDesk.PostAsync($"/api/v1/patients/{id}/archive", null);
        Assert.Equal(HttpStatusCode.OK, archive.StatusCode);
        Assert.True((await archive.ReadObject())["archived"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.OK, (await frontDesk.GetAsync($"/api/v1/patients/{id}")).StatusCode);
        Assert.Empty((await (await frontDesk.GetAsync($"/api/v1/patients?search={mrn}")).ReadObject())["items"]!.AsArray());
        Assert.Single((await (await frontDesk.GetAsync($"/api/v1/patients?search={mrn}&includeArchived=true")).ReadObject())["items"]!.AsArray());

        await (await frontDesk.PostAsync($"/api/v1/patients/{id}/archive", null)).AssertProblem(HttpStatusCode.Conflict, "patient.archived");
        await (await Put(id, PatientData.NewPatient(mrn), "\"2\"")).AssertProblem(HttpStatusCode.Conflict, "patient.archived");
    }

    [Fact]
    public async Task Roles_IntegratorReadsButCannotWrite_AdminCannotWritePatients()
    {
        var patient = await PatientData.Register(frontDesk);
        var integrator = factory.ClientFor("feed.bot", "integrator");
        var admin = factory.ClientFor("it.admin", "admin");

        Assert.Equal(HttpStatusCode.OK, (await integrator.GetAsync($"/api/v1/patients/{patient["id"]}")).StatusCode);
        await (await integrator.PostAsJsonAsync("/api/v1/patients", PatientData.NewPatient())).AssertProblem(HttpStatusCode.Forbidden);
        await (await admin.PostAsJsonAsync("/api/v1/patients", PatientData.NewPatient())).AssertProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Register_RecordsTheTokenUserAsAuthor_NotAnythingFromTheBody()
    {
        var nurse = factory.ClientFor("nurse.kim", "nurse");

        var patient = await PatientData.Register(nurse);

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicTracker.Core.Data.ClinicDbContext>();
        // Around the API, as the system: a context sees no patient until it is scoped (ADR 0015).
        db.ScopeTo(ClinicTracker.Core.Sites.SiteScope.Everything);
        var stored = await db.Patients.FindAsync(patient["id"]!.GetValue<Guid>());
        Assert.Equal("nurse.kim", stored!.CreatedBy);
        Assert.Equal(DateTimeKind.Utc, stored.CreatedAt.Kind);
    }

    private Task<HttpResponseMessage> Put(Guid id, object body, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/patients/{id}") { Content = JsonContent.Create(body) };
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        return frontDesk.SendAsync(request);
    }
}
