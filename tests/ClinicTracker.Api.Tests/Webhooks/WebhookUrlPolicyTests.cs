using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Api.Webhooks;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Tests.Webhooks;

/// <summary>The API with the URL policy's production defaults, except http allowed (the receiver speaks plain http on loopback).</summary>
public sealed class GuardedWebhookFactory : ClinicApiFactory
{
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Webhooks:PollSeconds"] = "3600",
        ["Webhooks:MissedScanSeconds"] = "86400",
        ["Webhooks:RequireHttps"] = "false",
    };

    public WebhookDeliveryWorker Worker => Services.GetRequiredService<WebhookDeliveryWorker>();
}

/// <summary>
/// Server-side request forgery (OWASP API7): a subscription must not make the API call into the clinic's own network
/// or the cloud's metadata service. Refused when the URL names such an address, and again at connection time when a
/// name resolves to one.
/// </summary>
public sealed class WebhookUrlPolicyTests(GuardedWebhookFactory factory) : IClassFixture<GuardedWebhookFactory>
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("https://10.1.2.3/hook")]
    [InlineData("https://172.20.0.4/hook")]
    [InlineData("https://192.168.1.10/hook")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://[::1]/hook")]
    [InlineData("https://[fd00::1]/hook")]
    [InlineData("https://localhost/hook")]
    [InlineData("https://user:password@receiver.example.org/hook")]
    public async Task Create_RefusesReceiversOnInternalAddressesOrWithCredentials(string url)
    {
        var admin = factory.ClientFor("webhook.admin", "admin");
        await (await admin.PostAsJsonAsync("/api/v1/webhooks/subscriptions", new { url, eventTypes = new[] { "dose.recorded" } }))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "webhook.url-invalid");
    }

    [Fact]
    public async Task Create_TakesAPublicHost()
    {
        var admin = factory.ClientFor("webhook.admin", "admin");
        await admin.PostAsJsonAsync("/api/v1/webhooks/subscriptions",
            new { url = "https://receiver.example.org/hook?tenant=7", eventTypes = new[] { "dose.recorded" }, active = false }).EnsureStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Delivery_ToANameThatResolvesToAnInternalAddress_IsNeverConnected()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var host = Dns.GetHostName();
        var addresses = await Dns.GetHostAddressesAsync(host);
        Assert.All(addresses, a => Assert.False(WebhookUrlPolicy.IsPublic(a), $"{host} resolves to {a}: the test needs a host name on this machine's own network"));
        var admin = factory.ClientFor("webhook.admin", "admin");
        var subscription = await (await admin.PostAsJsonAsync("/api/v1/webhooks/subscriptions",
            new { url = $"http://{host}:{receiver.Port.ToString(CultureInfo.InvariantCulture)}/hook", eventTypes = new[] { "dose.recorded" } })
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();
        receiver.Secret = subscription["secret"]!.GetValue<string>();
        var ping = await (await admin.PostAsync($"/api/v1/webhooks/subscriptions/{subscription["id"]}/ping", null).EnsureStatus(HttpStatusCode.Accepted)).ReadObject();

        await factory.Worker.RunOnceAsync(CancellationToken.None);

        Assert.Empty(receiver.Arrivals);
        var delivery = (await (await admin.GetAsync($"/api/v1/webhooks/deliveries/{ping["id"]}").EnsureStatus(HttpStatusCode.OK)).ReadObject())["delivery"]!;
        Assert.Equal("blocked-address", delivery["lastError"]!.GetValue<string>());
        Assert.Null(delivery["lastStatusCode"]);
        await admin.PatchAsJsonAsync($"/api/v1/webhooks/subscriptions/{subscription["id"]}", new { active = false }).EnsureStatus(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("93.184.215.14", true)]
    [InlineData("2606:4700::1111", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("192.168.0.1", false)]
    [InlineData("192.0.2.2", false)]
    [InlineData("203.0.113.9", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fc00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    public void IsPublic_KnowsTheNonPublicRanges(string address, bool expected) =>
        Assert.Equal(expected, WebhookUrlPolicy.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public void Check_WithProductionDefaults_RequiresHttps_AndAnAllowListAdmitsAnInternalHost()
    {
        var defaults = new WebhookUrlPolicy(Options.Create(new WebhookOptions()));
        Assert.NotNull(defaults.Check("http://receiver.example.org/hook"));
        Assert.Null(defaults.Check("https://receiver.example.org/hook"));

        var listed = new WebhookUrlPolicy(Options.Create(new WebhookOptions { AllowedHosts = ["10.0.0.7", "engine.clinic.internal"] }));
        Assert.Null(listed.Check("https://10.0.0.7/hook"));
        Assert.True(listed.IsAllowed("engine.clinic.internal", IPAddress.Parse("10.0.0.8")));
        Assert.NotNull(listed.Check("https://receiver.example.org/hook"));
    }
}
