using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Webhooks;

/// <summary>The admin side of webhooks (docs/integrators.md, Webhooks): subscriptions, their secret, deactivation, the delivery log's filters.</summary>
public sealed class WebhookSubscriptionTests(WebhookFactory factory) : IClassFixture<WebhookFactory>
{
    [Fact]
    public async Task Create_ShowsTheSecretOnce_GetNeverDoes_AndRotateMakesANewOne()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var site = await WebhookSite.CreateAsync(factory);
        var created = await site.SubscribeAsync(receiver, "dose.voided", "dose.recorded");
        var secret = created["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        // Stored in the documented order, whatever order the request gave.
        Assert.Equal(["dose.recorded", "dose.voided"], created["eventTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal([site.Id], created["siteIds"]!.AsArray().Select(t => t!.GetValue<Guid>()));

        var read = await site.Admin.GetAsync($"/api/v1/webhooks/subscriptions/{created["id"]}").EnsureStatus(HttpStatusCode.OK);
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
        Assert.Null((await read.ReadObject())["secret"]);
        var listed = await (await site.Admin.GetAsync("/api/v1/webhooks/subscriptions?active=true&limit=200").EnsureStatus(HttpStatusCode.OK)).ReadObject();
        Assert.Contains(listed["items"]!.AsArray(), s => s!["id"]!.GetValue<Guid>() == created["id"]!.GetValue<Guid>() && s["secret"] is null);

        var rotated = await (await site.Admin.PostAsync($"/api/v1/webhooks/subscriptions/{created["id"]}/rotate-secret", null)
            .EnsureStatus(HttpStatusCode.OK)).ReadObject();
        var newSecret = rotated["secret"]!.GetValue<string>();
        Assert.NotEqual(secret, newSecret);

        // The next delivery is signed with the new secret.
        receiver.Secret = newSecret;
        await site.Admin.PostAsync($"/api/v1/webhooks/subscriptions/{created["id"]}/ping", null).EnsureStatus(HttpStatusCode.Accepted);
        await factory.Worker.RunOnceAsync(CancellationToken.None);
        Assert.True(Assert.Single(receiver.Arrivals).VerifiedByLibrary);
        await site.UnsubscribeAsync(created);
    }

    [Fact]
    public async Task Deactivate_WithIfMatch_StopsDeliveries_AndAStaleIfMatchIs412()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var site = await WebhookSite.CreateAsync(factory);
        var subscription = await site.SubscribeAsync(receiver, "dose.recorded");
        var path = $"/api/v1/webhooks/subscriptions/{subscription["id"]}";

        var stale = new HttpRequestMessage(HttpMethod.Patch, path) { Content = JsonContent.Create(new { active = false }) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"7\""));
        await (await site.Admin.SendAsync(stale)).AssertProblem(HttpStatusCode.PreconditionFailed, "precondition.failed");
        var patch = new HttpRequestMessage(HttpMethod.Patch, path) { Content = JsonContent.Create(new { active = false }) };
        patch.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var changed = await (await site.Admin.SendAsync(patch)).EnsureSuccessObject();
        Assert.False(changed["active"]!.GetValue<bool>());
        Assert.Equal(2, changed["version"]!.GetValue<int>());

        var (_, _, sessionId) = await site.CheckedInSessionAsync();
        await site.Data.Dose(site.Data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created);
        await factory.Worker.RunOnceAsync(CancellationToken.None);
        Assert.Empty(receiver.Arrivals);
        Assert.Empty(await site.DeliveriesAsync(subscription));
        await (await site.Admin.PostAsync($"{path}/ping", null)).AssertProblem(HttpStatusCode.Conflict, "webhook.subscription-inactive");
    }

    [Fact]
    public async Task Create_RefusesUnknownTypesAndSites_AndValidatesThePatch()
    {
        var admin = factory.ClientFor("webhook.admin", "admin");
        await (await admin.PostAsJsonAsync("/api/v1/webhooks/subscriptions", new { url = "https://receiver.example.org/hook", eventTypes = new[] { "patient.created" } }))
            .AssertValidationError("eventTypes");
        await (await admin.PostAsJsonAsync("/api/v1/webhooks/subscriptions", new { url = "https://receiver.example.org/hook", eventTypes = Array.Empty<string>() }))
            .AssertValidationError("eventTypes");
        await (await admin.PostAsJsonAsync("/api/v1/webhooks/subscriptions", new { url = "ftp://receiver.example.org/", eventTypes = new[] { "dose.recorded" } }))
            .AssertValidationError("url");
        await (await admin.PostAsJsonAsync("/api/v1/webhooks/subscriptions",
                new { url = "https://receiver.example.org/hook", eventTypes = new[] { "dose.recorded" }, siteIds = new[] { Guid.NewGuid() } }))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "webhook.site-unknown");
        var created = await (await admin.PostAsJsonAsync("/api/v1/webhooks/subscriptions",
            new { url = "https://receiver.example.org/hook", eventTypes = new[] { "session.missed" }, active = false }).EnsureStatus(HttpStatusCode.Created)).ReadObject();
        Assert.Null(created["siteIds"]);
        await (await admin.PatchAsJsonAsync($"/api/v1/webhooks/subscriptions/{created["id"]}", new { })).AssertValidationError("body");
        await (await admin.PatchAsJsonAsync($"/api/v1/webhooks/subscriptions/{Guid.NewGuid()}", new { active = false }))
            .AssertProblem(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/v1/webhooks/deliveries?status=lost")).AssertValidationError("status");
    }

    [Fact]
    public async Task DeliveryLog_IsPagedNewestFirst_AndFiltersByEventAndStatus()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var site = await WebhookSite.CreateAsync(factory);
        var subscription = await site.SubscribeAsync(receiver, "dose.recorded");
        var pings = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            pings.Add((await (await site.Admin.PostAsync($"/api/v1/webhooks/subscriptions/{subscription["id"]}/ping", null)
                .EnsureStatus(HttpStatusCode.Accepted)).ReadObject())["id"]!.GetValue<Guid>());
        }

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await (await site.Admin.GetAsync($"/api/v1/webhooks/deliveries?subscriptionId={subscription["id"]}&limit=2" +
                (cursor is null ? "" : $"&cursor={cursor}")).EnsureStatus(HttpStatusCode.OK)).ReadObject();
            seen.AddRange(page["items"]!.AsArray().Select(d => d!["id"]!.GetValue<Guid>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        Assert.Equal(Enumerable.Reverse(pings), seen);

        await factory.Worker.RunOnceAsync(CancellationToken.None);
        var delivered = await (await site.Admin.GetAsync($"/api/v1/webhooks/deliveries?subscriptionId={subscription["id"]}&status=delivered&eventType=webhook.ping")
            .EnsureStatus(HttpStatusCode.OK)).ReadObject();
        Assert.Equal(3, delivered["items"]!.AsArray().Count);
        var eventId = receiver.Arrivals[0].WebhookId;
        var byEvent = await (await site.Admin.GetAsync($"/api/v1/webhooks/deliveries?eventId={eventId}").EnsureStatus(HttpStatusCode.OK)).ReadObject();
        Assert.Equal(eventId, Assert.Single(byEvent["items"]!.AsArray())!["eventId"]!.GetValue<string>());
        var pending = await (await site.Admin.GetAsync($"/api/v1/webhooks/deliveries?subscriptionId={subscription["id"]}&status=pending")
            .EnsureStatus(HttpStatusCode.OK)).ReadObject();
        Assert.Empty(pending["items"]!.AsArray());
        await site.UnsubscribeAsync(subscription);
    }
}
