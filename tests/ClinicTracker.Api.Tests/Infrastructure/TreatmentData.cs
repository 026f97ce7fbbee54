using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ClinicTracker.Api.Tests.Infrastructure;

/// <summary>
/// Builds the plans, sessions and doses a test needs through the API itself, as the front-end would: through a
/// factory's clients, or through any three clients whose users are registered with those roles (an API process).
/// </summary>
public sealed class TreatmentData(HttpClient frontDesk, HttpClient nurse, HttpClient prescriber)
{
    public TreatmentData(ClinicApiFactory factory)
        : this(factory.ClientFor("fd.jones", "front-desk"), factory.ClientFor("nurse.kim", "nurse"), factory.ClientFor("dr.patel", "prescriber"))
    {
    }

    public HttpClient FrontDesk { get; } = frontDesk;

    public HttpClient Nurse { get; } = nurse;

    public HttpClient Prescriber { get; } = prescriber;

    public static readonly DateTimeOffset CheckInTime = DateTimeOffset.UtcNow.AddHours(-3);

    public async Task<Guid> Patient(string dateOfBirth = "1980-12-10") =>
        (await PatientData.Register(FrontDesk, PatientData.NewPatient(dateOfBirth: dateOfBirth)))["id"]!.GetValue<Guid>();

    /// <summary>
    /// A plan on the template of its medication and route (domain.md §6: iv-induction for IV ketamine,
    /// esketamine-standard for esketamine); other ketamine routes have no template and get the same six
    /// Mon/Wed/Fri due dates as explicit phases.
    /// </summary>
    public async Task<JsonObject> Plan(Guid patientId, string medication = "ketamine", string route = "intravenous",
        string? template = null, string startDate = "2026-03-02", string timeZone = "America/New_York")
    {
        template ??= medication == "esketamine" ? "esketamine-standard" : route == "intravenous" ? "iv-induction" : null;
        var body = new
        {
            medication,
            route,
            startDate,
            timeZone,
            template,
            phases = template is null
                ? new object[] { new { name = "induction", sessions = 6, weekdays = new[] { "monday", "wednesday", "friday" } } }
                : null,
            targetDoseMgPerKg = medication == "esketamine" ? (decimal?)null : 0.5m,
            targetDoseMg = medication == "esketamine" ? 56m : (decimal?)null,
        };
        var response = await Prescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans", body).EnsureStatus(HttpStatusCode.Created);
        return await response.ReadObject();
    }

    public async Task<Guid> Session(Guid patientId, Guid planId, DateTimeOffset? scheduledAt = null)
    {
        var response = await FrontDesk.PostAsJsonAsync($"/api/v1/patients/{patientId}/sessions",
            new { planId, scheduledAt = scheduledAt ?? CheckInTime }).EnsureStatus(HttpStatusCode.Created);
        return (await response.ReadObject())["id"]!.GetValue<Guid>();
    }

    /// <summary>Checks the patient in and takes the pre-dose blood pressure (120/80, 5 minutes after check-in).</summary>
    public async Task CheckIn(Guid sessionId, decimal weightKg = 70m, DateTimeOffset? at = null)
    {
        await Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/check-in",
            new { weightKg, weightBasis = "actual", at = at ?? CheckInTime }).EnsureStatus(HttpStatusCode.OK);
        await Bp(sessionId, 120, 80, (at ?? CheckInTime).AddMinutes(5));
    }

    public async Task<JsonObject> Bp(Guid sessionId, int systolic, int diastolic, DateTimeOffset observedAt) =>
        await (await Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/observations",
            new { kind = "blood-pressure", systolic, diastolic, observedAt }).EnsureStatus(HttpStatusCode.Created)).ReadObject();

    /// <summary>Completes a session after the monitoring domain.md §4 asks for: BPs after dosing and at discharge.</summary>
    /// <param name="sessionId">The session, checked in at <paramref name="checkIn"/> (default <see cref="CheckInTime"/>).</param>
    /// <param name="completeMinutesAfterCheckIn">When to complete it.</param>
    /// <param name="checkIn">The session's check-in time.</param>
    public async Task<JsonObject> CompleteWithMonitoring(Guid sessionId, int completeMinutesAfterCheckIn = 135, DateTimeOffset? checkIn = null)
    {
        // Esketamine: first device at +10 → BP at +50 (40 min after), discharge BP at +130, complete at +135 (125 min).
        // IV: infusion +10…+50 → BP at +50 is during/after it, discharge BP at +130.
        var t0 = checkIn ?? CheckInTime;
        await Bp(sessionId, 124, 82, t0.AddMinutes(50));
        await Bp(sessionId, 118, 78, t0.AddMinutes(completeMinutesAfterCheckIn - 5));
        return await (await Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/complete",
            new { at = t0.AddMinutes(completeMinutesAfterCheckIn) }).EnsureStatus(HttpStatusCode.OK)).ReadObject();
    }

    /// <summary>A patient with an active plan and one checked-in session at 70 kg (unless told otherwise).</summary>
    public async Task<(Guid PatientId, Guid PlanId, Guid SessionId)> CheckedInSession(
        string medication = "ketamine", string route = "intravenous", decimal weightKg = 70m, string dateOfBirth = "1980-12-10")
    {
        var patientId = await Patient(dateOfBirth);
        var planId = (await Plan(patientId, medication, route))["id"]!.GetValue<Guid>();
        var sessionId = await Session(patientId, planId);
        await CheckIn(sessionId, weightKg);
        return (patientId, planId, sessionId);
    }

    /// <summary>An IV dose relative to <see cref="CheckInTime"/>; an override names the warnings it accepts (domain.md §3).</summary>
    public static object Iv(decimal amountMg, int minutes = 40, int startMinutesAfterCheckIn = 10, string? overrideReason = null,
        string[]? acceptedWarnings = null) =>
        IvAt(CheckInTime.AddMinutes(startMinutesAfterCheckIn), amountMg, minutes, overrideReason, acceptedWarnings);

    public static object IvAt(DateTimeOffset start, decimal amountMg, int minutes = 40, string? overrideReason = null,
        string[]? acceptedWarnings = null) => new
    {
        medication = "ketamine",
        route = "intravenous",
        amountMg,
        infusionStartedAt = start,
        infusionEndedAt = start.AddMinutes(minutes),
        lotNumber = "KET-2026-001",
        overrideReason,
        acceptedWarnings,
    };

    public static object Esketamine(int devices, int minutesAfterCheckIn = 10, string? overrideReason = null, string[]? acceptedWarnings = null) =>
        EsketamineAt(CheckInTime.AddMinutes(minutesAfterCheckIn), devices, overrideReason, acceptedWarnings);

    public static object EsketamineAt(DateTimeOffset at, int devices, string? overrideReason = null, string[]? acceptedWarnings = null) => new
    {
        medication = "esketamine",
        route = "intranasal",
        amountMg = devices * 28m,
        deviceCount = devices,
        administeredAt = at,
        lotNumber = "SPR-26-77",
        overrideReason,
        acceptedWarnings,
    };

    public static object NonIv(string route, decimal amountMg, string medication = "ketamine") => new
    {
        medication,
        route,
        amountMg,
        administeredAt = CheckInTime.AddMinutes(10),
        lotNumber = "KET-PO-9",
    };

    /// <summary>Discontinues a plan as a prescriber, sending the version read in If-Match.</summary>
    public Task<HttpResponseMessage> Discontinue(Guid planId, object body, string? ifMatch = "\"1\"")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/plans/{planId}/discontinue") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(ifMatch));
        }

        return Prescriber.SendAsync(request);
    }

    public Task<HttpResponseMessage> Dose(HttpClient client, Guid sessionId, object dose) =>
        client.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/doses", dose);

    public async Task<JsonObject> SessionDetail(Guid sessionId) =>
        await (await Nurse.GetAsync($"/api/v1/sessions/{sessionId}")).ReadObject();
}
