using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Webhooks;

/// <summary>A site of its own for one test, its staff, and an admin: subscriptions limited to the site see only the test's events.</summary>
internal sealed class WebhookSite
{
    private WebhookSite(Guid id, TreatmentData data, HttpClient admin)
    {
        Id = id;
        Data = data;
        Admin = admin;
    }

    public Guid Id { get; }

    public TreatmentData Data { get; }

    public HttpClient Admin { get; }

    public static async Task<WebhookSite> CreateAsync(ClinicApiFactory factory)
    {
        var admin = factory.ClientFor("webhook.admin", "admin");
        var id = await SiteData.Create(admin, "Hooks");
        var data = new TreatmentData(factory.ClientAt(Http.Unique("fd"), "front-desk", id), factory.ClientAt(Http.Unique("rn"), "nurse", id),
            factory.ClientAt(Http.Unique("dr"), "prescriber", id));
        return new WebhookSite(id, data, admin);
    }

    /// <summary>Subscribes the receiver to these types for this site's events; the receiver gets the secret.</summary>
    public async Task<JsonObject> SubscribeAsync(WebhookReceiver receiver, params string[] eventTypes)
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/webhooks/subscriptions",
            new { url = receiver.Url, eventTypes, siteIds = new[] { Id }, description = "test receiver" }).EnsureStatus(HttpStatusCode.Created);
        var subscription = await response.ReadObject();
        receiver.Secret = subscription["secret"]!.GetValue<string>();
        return subscription;
    }

    /// <summary>Deactivates the subscription, so later tests' passes of the worker leave it alone.</summary>
    public async Task UnsubscribeAsync(JsonObject subscription) =>
        await Admin.PatchAsJsonAsync($"/api/v1/webhooks/subscriptions/{subscription["id"]}", new { active = false }).EnsureStatus(HttpStatusCode.OK);

    /// <summary>The subscription's deliveries, newest first.</summary>
    public async Task<List<JsonObject>> DeliveriesAsync(JsonObject subscription) =>
        [.. (await (await Admin.GetAsync($"/api/v1/webhooks/deliveries?subscriptionId={subscription["id"]}").EnsureStatus(HttpStatusCode.OK)).ReadObject())
            ["items"]!.AsArray().Select(d => d!.AsObject())];

    public async Task<JsonObject> DeliveryAsync(Guid deliveryId) =>
        await (await Admin.GetAsync($"/api/v1/webhooks/deliveries/{deliveryId}").EnsureStatus(HttpStatusCode.OK)).ReadObject();

    /// <summary>
    /// A patient with names no id or date can contain (letters beyond a–f: a hex digit string never spells them), so a
    /// payload that does not carry them proves it.
    /// </summary>
    public async Task<Guid> PatientAsync() =>
        (await PatientData.Register(Data.FrontDesk, PatientData.NewPatient(given: "Wilhelmina", family: "Quorrow-Styx")))["id"]!.GetValue<Guid>();

    /// <summary>Such a patient with an IV plan and one checked-in session at 70 kg.</summary>
    public async Task<(Guid PatientId, Guid PlanId, Guid SessionId)> CheckedInSessionAsync()
    {
        var patientId = await PatientAsync();
        var planId = (await Data.Plan(patientId))["id"]!.GetValue<Guid>();
        var sessionId = await Data.Session(patientId, planId);
        await Data.CheckIn(sessionId);
        return (patientId, planId, sessionId);
    }

    /// <summary>What identifies the patient (MRN, names, date of birth), none of which a payload may carry.</summary>
    public async Task<string[]> IdentifiersOfAsync(Guid patientId)
    {
        var patient = await (await Data.FrontDesk.GetAsync($"/api/v1/patients/{patientId}").EnsureStatus(HttpStatusCode.OK)).ReadObject();
        return [.. new[] { "mrn", "givenName", "familyName", "dateOfBirth" }.Select(f => patient[f]!.GetValue<string>())];
    }
}
