using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Plans;

/// <summary>
/// Plan targets against the hard limits of domain.md §3 and templates against their medication and route
/// (domain.md §6), at plan creation. Default limits: IV 1.0 mg/kg; esketamine whole 28 mg devices up to
/// 84 mg; intranasal ketamine 100 mg; oral 7.0 mg/kg or 300 mg; sublingual 300 mg. Plausible dosing
/// weights are 30–300 kg (domain.md §3), so a target in the other unit than the limit's is refused only
/// when it is above the limit at every plausible weight.
/// </summary>
public sealed class PlanTargetTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    private static readonly object[] MonWedFri = [new { name = "induction", sessions = 6, weekdays = new[] { "monday", "wednesday", "friday" } }];

    private async Task<HttpResponseMessage> Create(
        Guid patientId, string medication, string route, decimal? mg, decimal? mgPerKg, string? template = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["medication"] = medication,
            ["route"] = route,
            ["startDate"] = "2026-03-02",
            ["timeZone"] = "America/New_York",
        };
        if (template is null)
        {
            body["phases"] = MonWedFri;
        }
        else
        {
            body["template"] = template;
        }

        if (mg is not null)
        {
            body["targetDoseMg"] = mg;
        }

        if (mgPerKg is not null)
        {
            body["targetDoseMgPerKg"] = mgPerKg;
        }

        return await data.Prescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans", body);
    }

    private static decimal? Dec(string? value) => value is null ? null : decimal.Parse(value, CultureInfo.InvariantCulture);

    public static TheoryData<string, string, string?, string?> WithinLimits => new()
    {
        // IV: exactly 1.0 mg/kg is at the limit, not above it.
        { "ketamine", "intravenous", null, "1.0" },
        // IV in mg: 300 mg is 1.0 mg/kg at the heaviest plausible weight (300 kg).
        { "ketamine", "intravenous", "300", null },
        // Esketamine: one, two or three 28 mg devices.
        { "esketamine", "intranasal", "28", null },
        { "esketamine", "intranasal", "56", null },
        { "esketamine", "intranasal", "84", null },
        { "ketamine", "intranasal", "100", null },
        // Intranasal ketamine in mg/kg: 3.33 × 30 kg = 99.9 mg ≤ 100 mg.
        { "ketamine", "intranasal", null, "3.33" },
        { "ketamine", "oral", null, "7.0" },
        { "ketamine", "oral", "300", null },
        { "ketamine", "sublingual", "300", null },
    };

    [Theory]
    [MemberData(nameof(WithinLimits))]
    public async Task Create_TargetAtOrBelowTheHardLimit_Returns201(string medication, string route, string? mg, string? mgPerKg)
    {
        var response = await Create(await data.Patient(), medication, route, Dec(mg), Dec(mgPerKg));

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string, string?, string?, string> AboveLimits => new()
    {
        // IV: 1.01 mg/kg > 1.0 mg/kg (Fava 2018: the highest dose studied for depression).
        { "ketamine", "intravenous", null, "1.01", "targetDoseMgPerKg" },
        // IV in mg: 300.01 mg is above 1.0 mg/kg even at 300 kg.
        { "ketamine", "intravenous", "300.01", null, "targetDoseMg" },
        // Esketamine: 112 mg = 4 devices > 84 mg; 42 mg is not whole 28 mg devices; 85 mg neither.
        { "esketamine", "intranasal", "112", null, "targetDoseMg" },
        { "esketamine", "intranasal", "42", null, "targetDoseMg" },
        { "esketamine", "intranasal", "85", null, "targetDoseMg" },
        // Esketamine is dosed in whole devices, never per kg.
        { "esketamine", "intranasal", null, "0.5", "targetDoseMgPerKg" },
        { "ketamine", "intranasal", "100.01", null, "targetDoseMg" },
        // 3.34 × 30 kg = 100.2 mg > 100 mg even for the lightest plausible patient.
        { "ketamine", "intranasal", null, "3.34", "targetDoseMgPerKg" },
        { "ketamine", "oral", null, "7.01", "targetDoseMgPerKg" },
        { "ketamine", "oral", "300.01", null, "targetDoseMg" },
        { "ketamine", "sublingual", "300.01", null, "targetDoseMg" },
    };

    [Theory]
    [MemberData(nameof(AboveLimits))]
    public async Task Create_TargetAboveTheHardLimit_Returns400NamingTheTarget(
        string medication, string route, string? mg, string? mgPerKg, string field)
    {
        var patientId = await data.Patient();

        var response = await Create(patientId, medication, route, Dec(mg), Dec(mgPerKg));

        await response.AssertValidationError(field);
        var plans = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/plans")).ReadObject();
        Assert.Empty(plans["items"]!.AsArray());
    }

    public static TheoryData<string, string, string, string?, string?> TemplateMismatches => new()
    {
        // iv-induction (Zheng 2019 infusions) is ketamine by the intravenous route only.
        { "iv-induction", "ketamine", "oral", null, "0.5" },
        { "iv-induction", "ketamine", "intranasal", "50", null },
        { "iv-induction", "esketamine", "intranasal", "56", null },
        // esketamine-standard (Spravato label) is esketamine only.
        { "esketamine-standard", "ketamine", "intranasal", "50", null },
        { "esketamine-standard", "ketamine", "intravenous", null, "0.5" },
    };

    [Theory]
    [MemberData(nameof(TemplateMismatches))]
    public async Task Create_TemplateForAnotherMedicationOrRoute_Returns400NamingTemplate(
        string template, string medication, string route, string? mg, string? mgPerKg)
    {
        var patientId = await data.Patient();

        var response = await Create(patientId, medication, route, Dec(mg), Dec(mgPerKg), template);

        await response.AssertValidationError("template");
        var plans = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/plans")).ReadObject();
        Assert.Empty(plans["items"]!.AsArray());
    }

    [Theory]
    [InlineData("iv-induction", "ketamine", "intravenous", null, "0.5")]
    [InlineData("esketamine-standard", "esketamine", "intranasal", "56", null)]
    public async Task Create_TemplateForItsOwnMedicationAndRoute_Returns201(
        string template, string medication, string route, string? mg, string? mgPerKg)
    {
        var response = await Create(await data.Patient(), medication, route, Dec(mg), Dec(mgPerKg), template);

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Create_TargetAboveAConfiguredLimit_IsRefused()
    {
        // A clinic that lowers the IV hard limit to 0.8 mg/kg: 0.8 passes, 0.81 is refused.
        using var lower = new LowerIvLimitFactory();
        var clinic = new TreatmentData(lower);
        var patientId = await clinic.Patient();

        var at = await clinic.Prescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans", IvPlan(0.8m));
        var above = await clinic.Prescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans", IvPlan(0.81m));

        Assert.Equal(HttpStatusCode.Created, at.StatusCode);
        var problem = await above.AssertValidationError("targetDoseMgPerKg");
        Assert.Contains("0.8 mg/kg", problem["errors"]!["targetDoseMgPerKg"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static object IvPlan(decimal mgPerKg) => new
    {
        medication = "ketamine",
        route = "intravenous",
        startDate = "2026-03-02",
        timeZone = "UTC",
        template = "iv-induction",
        targetDoseMgPerKg = mgPerKg,
    };

    private sealed class LowerIvLimitFactory : ClinicApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["DoseLimits:IntravenousKetamine:SoftMgPerKg"] = "0.6",
            ["DoseLimits:IntravenousKetamine:HardMgPerKg"] = "0.8",
        };
    }
}
