using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Adherence;

/// <summary>
/// Plans and visits on given clinic-local days, made through the API with past <c>at</c> times, as a clinic
/// catching up its record would: the adherence tests need visits on exact local dates.
/// </summary>
internal sealed class Visits(TreatmentData data, string timeZone = "America/New_York")
{
    public string TimeZone => timeZone;

    /// <summary>Today's date in this zone.</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(timeZone)));

    /// <summary>The instant of a clinic-local wall-clock time (daylight saving included).</summary>
    public DateTimeOffset Local(string date, int hour, int minute = 0)
    {
        var local = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture).ToDateTime(new TimeOnly(hour, minute));
        return new DateTimeOffset(local, TimeZoneInfo.FindSystemTimeZoneById(timeZone).GetUtcOffset(local));
    }

    /// <summary>An IV ketamine plan with explicit phases in this zone; returns the plan id.</summary>
    public async Task<Guid> Plan(Guid patientId, string startDate, object[] phases, int toleranceDays = 1)
    {
        var body = new
        {
            medication = "ketamine",
            route = "intravenous",
            startDate,
            timeZone,
            toleranceDays,
            phases,
            targetDoseMgPerKg = 0.5m,
        };
        var response = await data.Prescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans", body)
            .EnsureStatus(HttpStatusCode.Created);
        return (await response.ReadObject())["id"]!.GetValue<Guid>();
    }

    /// <summary>Scheduled at <paramref name="checkIn"/> − 30 min, checked in, 35 mg over 40 minutes (0.5 mg/kg at 70 kg), monitored, completed.</summary>
    public async Task<Guid> Completed(Guid patientId, Guid planId, DateTimeOffset checkIn)
    {
        var id = await data.Session(patientId, planId, checkIn.AddMinutes(-30));
        await data.CheckIn(id, 70m, checkIn);
        await data.Dose(data.Nurse, id, new
        {
            medication = "ketamine",
            route = "intravenous",
            amountMg = 35m,
            infusionStartedAt = checkIn.AddMinutes(5),
            infusionEndedAt = checkIn.AddMinutes(45),
            lotNumber = "KET-2026-001",
        }).EnsureStatus(HttpStatusCode.Created);
        // Monitoring before completion (domain.md §4): a BP after the infusion and one at discharge.
        await data.Bp(id, 122, 80, checkIn.AddMinutes(46));
        await data.Bp(id, 118, 76, checkIn.AddMinutes(58));
        await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{id}/complete", new { at = checkIn.AddMinutes(60) })
            .EnsureStatus(HttpStatusCode.OK);
        return id;
    }

    public async Task<Guid> NoShow(Guid patientId, Guid planId, DateTimeOffset scheduledAt)
    {
        var id = await data.Session(patientId, planId, scheduledAt);
        await data.FrontDesk.PostAsJsonAsync($"/api/v1/sessions/{id}/no-show", new { at = scheduledAt.AddHours(1) })
            .EnsureStatus(HttpStatusCode.OK);
        return id;
    }

    /// <summary>Checked in, then held: the pre-dose safety gate failed.</summary>
    public async Task<Guid> Held(Guid patientId, Guid planId, DateTimeOffset scheduledAt)
    {
        var id = await data.Session(patientId, planId, scheduledAt);
        await data.CheckIn(id, 70m, scheduledAt);
        await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{id}/hold",
            new { reason = "BP 150/95 after 15 minutes rest", at = scheduledAt.AddMinutes(20) }).EnsureStatus(HttpStatusCode.OK);
        return id;
    }

    public async Task<Guid> Cancelled(Guid patientId, Guid planId, DateTimeOffset scheduledAt, string cancelledBy)
    {
        var id = await data.Session(patientId, planId, scheduledAt);
        await data.FrontDesk.PostAsJsonAsync($"/api/v1/sessions/{id}/cancel",
            new { cancelledBy, reason = "rebooking", at = scheduledAt.AddDays(-1) }).EnsureStatus(HttpStatusCode.OK);
        return id;
    }

    /// <summary>Completes the plan as the prescriber (If-Match of a plan read once: version 1, or 2 after one change).</summary>
    public Task<HttpResponseMessage> CompletePlan(Guid planId, DateTimeOffset at, int version = 1)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/plans/{planId}/complete") { Content = JsonContent.Create(new { at }) };
        request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{version}\""));
        return data.Prescriber.SendAsync(request);
    }

    public async Task<JsonObject> Adherence(HttpClient client, Guid planId, string? asOf = null)
    {
        var query = asOf is null ? "" : $"?asOf={asOf}";
        var response = await client.GetAsync($"/api/v1/plans/{planId}/adherence{query}").EnsureStatus(HttpStatusCode.OK);
        return await response.ReadObject();
    }
}
