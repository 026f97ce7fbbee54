using System.Net;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Sessions;

public sealed class SessionHistoryTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    [Fact]
    public async Task History_NewestFirst_WithDoseSummaryPerSession()
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        var older = await data.Session(patientId, planId, TreatmentData.CheckInTime.AddDays(-2));
        var newer = await data.Session(patientId, planId, TreatmentData.CheckInTime);
        var future = await data.Session(patientId, planId, DateTimeOffset.UtcNow.AddDays(2));
        await data.CheckIn(newer, 80m);
        await data.Dose(data.Nurse, newer, TreatmentData.Iv(30m)).EnsureStatus(HttpStatusCode.Created);
        await data.Dose(data.Nurse, newer, TreatmentData.Iv(10m, startMinutesAfterCheckIn: 60)).EnsureStatus(HttpStatusCode.Created);

        var page = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/sessions")).ReadObject();

        var items = page["items"]!.AsArray();
        Assert.Equal([future, newer, older], items.Select(i => i!["id"]!.GetValue<Guid>()));
        var summary = items[1]!["doseSummary"]!.AsArray().Single()!;
        Assert.Equal("ketamine", summary["medication"]!.GetValue<string>());
        Assert.Equal("intravenous", summary["route"]!.GetValue<string>());
        Assert.Equal(40m, summary["totalMg"]!.GetValue<decimal>());
        Assert.Equal(0.5m, summary["mgPerKg"]!.GetValue<decimal>()); // 40 mg / 80 kg
        Assert.Equal(2, summary["doseCount"]!.GetValue<int>());
        Assert.Empty(items[0]!["doseSummary"]!.AsArray());
    }

    [Fact]
    public async Task History_Filters_ByStatusRouteAndTime()
    {
        var patientId = await data.Patient();
        var ivPlan = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        var oralPlan = (await data.Plan(patientId, "ketamine", "oral"))["id"]!.GetValue<Guid>();
        var ivSession = await data.Session(patientId, ivPlan, DateTimeOffset.Parse("2026-05-01T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var oralSession = await data.Session(patientId, oralPlan, DateTimeOffset.Parse("2026-06-01T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await data.FrontDesk.PostAsync($"/api/v1/sessions/{oralSession}/no-show", null).EnsureStatus(HttpStatusCode.OK);

        async Task<IEnumerable<Guid>> Ids(string query) =>
            (await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/sessions?{query}")).ReadObject())["items"]!
                .AsArray().Select(i => i!["id"]!.GetValue<Guid>());

        Assert.Equal([oralSession], await Ids("status=no-show"));
        Assert.Equal([ivSession], await Ids("route=intravenous"));
        Assert.Equal([oralSession], await Ids("from=2026-05-15T00:00:00Z"));
        Assert.Equal([ivSession], await Ids("to=2026-05-15T00:00:00%2B02:00"));
    }

    [Theory]
    [InlineData("status=NoShow", "status")]
    [InlineData("status=done", "status")]
    [InlineData("route=iv", "route")]
    [InlineData("from=2026-05-01", "from")]
    [InlineData("to=2026-05-01T10:00:00", "to")]
    [InlineData("limit=500", "limit")]
    [InlineData("cursor=bm90LWEtY3Vyc29y", "cursor")]
    public async Task History_BadFilter_Returns400(string query, string field)
    {
        var patientId = await data.Patient();

        var response = await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/sessions?{query}");

        await response.AssertValidationError(field);
    }

    [Fact]
    public async Task History_PagesByKeyset_StableWhenSessionsAreAddedBetweenPages()
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        var day = DateTimeOffset.Parse("2026-04-10T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await data.Session(patientId, planId, day.AddDays(i)));
        }

        var first = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/sessions?limit=2")).ReadObject();
        Assert.Equal([ids[4], ids[3]], first["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()));

        // A newer session (would shift an offset page) and one in the middle of the next page.
        await data.Session(patientId, planId, day.AddDays(10));
        var middle = await data.Session(patientId, planId, day.AddDays(1).AddHours(1));

        var cursor = first["nextCursor"]!.GetValue<string>();
        var second = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/sessions?limit=2&cursor={cursor}")).ReadObject();
        Assert.Equal([ids[2], middle], second["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()));
        var third = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/sessions?limit=2&cursor={second["nextCursor"]}")).ReadObject();
        Assert.Equal([ids[1], ids[0]], third["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()));
        Assert.Null(third["nextCursor"]);
    }

    [Fact]
    public async Task History_OfUnknownPatient_Returns404_AndIntegratorMayRead()
    {
        var integrator = factory.ClientFor("feed.bot", "integrator");
        var patientId = await data.Patient();

        await (await integrator.GetAsync($"/api/v1/patients/{Guid.NewGuid()}/sessions")).AssertProblem(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await integrator.GetAsync($"/api/v1/patients/{patientId}/sessions")).StatusCode);
    }
}
