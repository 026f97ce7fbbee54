using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Adherence;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Api.Tests.Outcomes;

namespace ClinicTracker.Api.Tests.Reports;

/// <summary>
/// A clinic of its own for one outcomes-report test: a new site (America/New_York) with its own front desk, nurse
/// and prescriber, so the report of that site's prescriber holds exactly the plans the test made (the report is
/// per site, domain.md §14). Plans, visits and assessments go through the API.
/// </summary>
internal sealed class OutcomesClinic
{
    public const string Zone = "America/New_York";

    private OutcomesClinic(ClinicApiFactory factory, Guid siteId)
    {
        SiteId = siteId;
        Data = new TreatmentData(
            factory.ClientAt(Http.Unique("fd"), "front-desk", siteId),
            factory.ClientAt(Http.Unique("nurse"), "nurse", siteId),
            factory.ClientAt(Http.Unique("dr"), "prescriber", siteId));
        Visits = new Visits(Data, Zone);
    }

    public Guid SiteId { get; }

    public TreatmentData Data { get; }

    public Visits Visits { get; }

    public HttpClient Prescriber => Data.Prescriber;

    public static async Task<OutcomesClinic> Create(ClinicApiFactory factory, HttpClient admin) =>
        new(factory, await SiteData.Create(admin, "Outcomes", Zone));

    /// <summary>A plan of <paramref name="sessions"/> due dates every 7 days from the start; returns (patient, plan).</summary>
    public async Task<(Guid PatientId, Guid PlanId)> Plan(string medication, string route, string startDate, int sessions, int toleranceDays = 1)
    {
        var patientId = await Data.Patient();
        var body = new
        {
            medication,
            route,
            startDate,
            timeZone = Zone,
            toleranceDays,
            phases = new object[] { new { name = "induction", sessions, everyDays = 7 } },
            targetDoseMgPerKg = medication == "esketamine" ? (decimal?)null : 0.5m,
            targetDoseMg = medication == "esketamine" ? 56m : (decimal?)null,
        };
        var response = await Prescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans", body).EnsureStatus(HttpStatusCode.Created);
        return (patientId, (await response.ReadObject())["id"]!.GetValue<Guid>());
    }

    /// <summary>An IV session checked in at 10:00 local on <paramref name="date"/>, <paramref name="amountMg"/> over 40 minutes, completed.</summary>
    public async Task Iv(Guid patientId, Guid planId, string date, decimal amountMg, decimal weightKg = 70m)
    {
        var checkIn = Visits.Local(date, 10);
        var id = await Data.Session(patientId, planId, checkIn.AddMinutes(-30));
        await Data.CheckIn(id, weightKg, checkIn);
        await Data.Dose(Data.Nurse, id, TreatmentData.IvAt(checkIn.AddMinutes(10), amountMg)).EnsureStatus(HttpStatusCode.Created);
        await Data.CompleteWithMonitoring(id, 135, checkIn);
    }

    /// <summary>An esketamine session at 10:00 local on <paramref name="date"/>: all devices at +10 min, monitored 2 h, completed.</summary>
    public async Task Esketamine(Guid patientId, Guid planId, string date, int devices)
    {
        var checkIn = Visits.Local(date, 10);
        var id = await Data.Session(patientId, planId, checkIn.AddMinutes(-30));
        await Data.CheckIn(id, 70m, checkIn);
        await Data.Dose(Data.Nurse, id, TreatmentData.EsketamineAt(checkIn.AddMinutes(10), devices)).EnsureStatus(HttpStatusCode.Created);
        await Data.CompleteWithMonitoring(id, 135, checkIn);
    }

    /// <summary>A PHQ-9 with this total at 12:00 local on <paramref name="date"/>.</summary>
    public Task Phq9(Guid patientId, string date, int total) =>
        AssessmentData.Record(Data.Nurse, patientId, "phq9", AssessmentData.Phq9(total), Visits.Local(date, 12));

    /// <summary>A MADRS with this total at 12:00 local on <paramref name="date"/>.</summary>
    public Task Madrs(Guid patientId, string date, int total) =>
        AssessmentData.Record(Data.Nurse, patientId, "madrs", AssessmentData.Madrs(total), Visits.Local(date, 12));

    public static async Task<JsonObject> Report(HttpClient client, string query = "")
    {
        var response = await client.GetAsync("/api/v1/reports/outcomes" + query).EnsureStatus(HttpStatusCode.OK);
        return await response.ReadObject();
    }
}
