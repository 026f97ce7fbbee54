using System.Net;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Webhooks;

/// <summary>
/// An instance that claims a delivery and then stalls (or crashes) before answering: its lease keeps every other instance
/// off the delivery until it runs out, then another instance delivers it; the first one, back too late, finds the
/// delivery taken over and neither sends nor writes anything.
/// </summary>
public sealed class WebhookLeaseTests(WebhookFactory factory) : IClassFixture<WebhookFactory>
{
    [Fact]
    public async Task AClaimThatNeverAnswers_HoldsTheDeliveryUntilItsLeaseRunsOut_ThenAnotherInstanceDeliversIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var site = await WebhookSite.CreateAsync(factory);
        var subscription = await site.SubscribeAsync(receiver, "dose.recorded");
        var ping = await (await site.Admin.PostAsync($"/api/v1/webhooks/subscriptions/{subscription["id"]}/ping", null)
            .EnsureStatus(HttpStatusCode.Accepted)).ReadObject();
        var deliveryId = ping["id"]!.GetValue<Guid>();

        // The first instance claims it and "dies" before sending.
        var stale = Assert.Single(await factory.Worker.ClaimAsync(CancellationToken.None));
        using var second = new SecondWebhookInstance(factory);
        Assert.Equal(0, await second.Worker.RunOnceAsync(CancellationToken.None));
        Assert.Empty(receiver.Arrivals);

        // Lease = timeout (5 s) + 60 s: after it, the second instance takes the delivery over and delivers it.
        factory.Clock.Advance(factory.Worker.Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await second.Worker.RunOnceAsync(CancellationToken.None));
        Assert.Single(receiver.Arrivals);

        // The first instance comes back with its old claim: it sends nothing and writes nothing.
        Assert.False(await factory.Worker.AttemptAsync(stale, CancellationToken.None));
        Assert.Single(receiver.Arrivals);
        Assert.Single(receiver.Processed);
        var detail = await site.DeliveryAsync(deliveryId);
        Assert.Equal(("delivered", 1), (detail["delivery"]!["status"]!.GetValue<string>(), detail["delivery"]!["attempts"]!.GetValue<int>()));
        Assert.Single(detail["log"]!.AsArray());
        await site.UnsubscribeAsync(subscription);
    }
}
