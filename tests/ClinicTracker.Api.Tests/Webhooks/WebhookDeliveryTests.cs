using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Api.Tests.Outcomes;

namespace ClinicTracker.Api.Tests.Webhooks;

/// <summary>
/// Webhooks end to end (ADR 0021), on each provider: the real HTTP action writes the outbox row, the worker delivers it
/// to a receiver on loopback that verifies the Standard Webhooks signature and de-duplicates by webhook-id; a 500 is
/// retried on the backoff schedule with the same webhook-id; payloads carry ids, not names. Each test subscribes for a
/// site of its own and the tests drive the worker and the clock themselves.
/// </summary>
public sealed class WebhookDeliveryTests(WebhookFactory factory) : IClassFixture<WebhookFactory>
{
    [Fact]
    public async Task DoseRecorded_IsSignedAndDelivered_RetriedOnTheBackoffAfterA500_AndProcessedOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailFirst = 1;
        var site = await WebhookSite.CreateAsync(factory);
        var subscription = await site.SubscribeAsync(receiver, "dose.recorded");
        var (patientId, _, sessionId) = await site.CheckedInSessionAsync();
        var dose = await (await site.Data.Dose(site.Data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created)).ReadObject();

        await factory.Worker.RunOnceAsync(CancellationToken.None);
        var first = Assert.Single(receiver.Arrivals);
        Assert.Equal(500, first.Answered);
        var delivery = Assert.Single(await site.DeliveriesAsync(subscription));
        Assert.Equal("pending", delivery["status"]!.GetValue<string>());
        Assert.Equal(1, delivery["attempts"]!.GetValue<int>());
        Assert.Equal(500, delivery["lastStatusCode"]!.GetValue<int>());
        Assert.Equal("http-500", delivery["lastError"]!.GetValue<string>());
        // Backoff: the first failure waits RetryBaseSeconds (30 s) from the end of the attempt.
        var wait = delivery["nextAttemptAt"]!.GetValue<DateTime>() - delivery["lastAttemptAt"]!.GetValue<DateTime>();
        Assert.InRange(wait, TimeSpan.FromSeconds(WebhookFactory.RetryBaseSeconds), TimeSpan.FromSeconds(WebhookFactory.RetryBaseSeconds + 5));

        // Not due yet: a pass sends nothing.
        await factory.Worker.RunOnceAsync(CancellationToken.None);
        Assert.Single(receiver.Arrivals);

        factory.Clock.Advance(TimeSpan.FromSeconds(WebhookFactory.RetryBaseSeconds + 1));
        await factory.Worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(2, receiver.Arrivals.Count);
        Assert.All(receiver.Arrivals, a => Assert.True(a.VerifiedByLibrary && a.VerifiedBySpec, $"signature of {a.WebhookId}"));
        Assert.Equal([500, 200], receiver.Arrivals.Select(a => a.Answered));
        // The same event id on both attempts (the receiver's de-duplication key), the same signed body.
        Assert.Single(receiver.Arrivals.Select(a => a.WebhookId).Distinct());
        Assert.Single(receiver.Arrivals.Select(a => a.Body).Distinct());
        var processed = Assert.Single(receiver.Processed.Values);

        Assert.Equal("dose.recorded", processed.Json["type"]!.GetValue<string>());
        Assert.Equal(processed.WebhookId, processed.Json["id"]!.GetValue<string>());
        Assert.Equal(dose["id"]!.GetValue<Guid>(), processed.Data["doseId"]!.GetValue<Guid>());
        Assert.Equal(sessionId, processed.Data["sessionId"]!.GetValue<Guid>());
        Assert.Equal(patientId, processed.Data["patientId"]!.GetValue<Guid>());
        Assert.Equal(site.Id, processed.Data["siteId"]!.GetValue<Guid>());
        Assert.Equal(35m, processed.Data["amountMg"]!.GetValue<decimal>());
        foreach (var identifier in await site.IdentifiersOfAsync(patientId))
        {
            Assert.DoesNotContain(identifier, processed.Body, StringComparison.OrdinalIgnoreCase);
        }

        var detail = await site.DeliveryAsync(delivery["id"]!.GetValue<Guid>());
        Assert.Equal("delivered", detail["delivery"]!["status"]!.GetValue<string>());
        Assert.Equal(processed.Body, detail["payload"]!.GetValue<string>());
        var log = detail["log"]!.AsArray();
        Assert.Equal([1, 2], log.Select(a => a!["number"]!.GetValue<int>()));
        Assert.Equal([500, 200], log.Select(a => a!["statusCode"]!.GetValue<int>()));
        Assert.Equal(["http-500", null], log.Select(a => a!["error"]?.GetValue<string>()));

        // Delivered: further passes send nothing more.
        factory.Clock.Advance(TimeSpan.FromSeconds(10));
        await factory.Worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(2, receiver.Arrivals.Count);
        await site.UnsubscribeAsync(subscription);
    }

    [Fact]
    public async Task ARefusedDose_AndAReplayedOne_WriteNoEvent_TheOutboxRowCommitsWithTheWriteOnly()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var site = await WebhookSite.CreateAsync(factory);
        var subscription = await site.SubscribeAsync(receiver, "dose.recorded");
        var (_, _, sessionId) = await site.CheckedInSessionAsync();
        // 70 kg: the hard limit is 70 mg (domain.md §3); the refusal stores nothing, the event included.
        await (await site.Data.Dose(site.Data.Nurse, sessionId, TreatmentData.Iv(70.01m))).AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.hard-limit");
        // The same request twice with one Idempotency-Key: the second is answered from the stored response and writes nothing.
        var key = Http.Unique("key");
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/sessions/{sessionId}/doses") { Content = JsonContent.Create(TreatmentData.Iv(35m)) };
            request.Headers.Add("Idempotency-Key", key);
            await site.Data.Nurse.SendAsync(request).EnsureStatus(HttpStatusCode.Created);
        }

        var stored = Convert.ToInt32(await factory.Database.ScalarAsync(
            $"SELECT COUNT(*) FROM outbox_events WHERE \"Payload\" LIKE '%{sessionId}%'"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1, stored);
        await factory.Worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(35m, Assert.Single(receiver.Arrivals).Data["amountMg"]!.GetValue<decimal>());
        await site.UnsubscribeAsync(subscription);
    }

    [Fact]
    public async Task DoseVoided_IsDelivered_WithoutTheReason_AndASubscriptionOfAnotherSiteGetsNothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var otherReceiver = await WebhookReceiver.StartAsync();
        var site = await WebhookSite.CreateAsync(factory);
        var other = await WebhookSite.CreateAsync(factory);
        var subscription = await site.SubscribeAsync(receiver, "dose.recorded", "dose.voided");
        var otherSubscription = await other.SubscribeAsync(otherReceiver, "dose.recorded", "dose.voided");
        var (patientId, _, sessionId) = await site.CheckedInSessionAsync();
        var doseId = (await (await site.Data.Dose(site.Data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created))
            .ReadObject())["id"]!.GetValue<Guid>();
        const string Reason = "Charted on the wrong chart by mistake";
        await site.Data.Prescriber.PostAsJsonAsync($"/api/v1/doses/{doseId}/void", new { reason = Reason }).EnsureStatus(HttpStatusCode.OK);

        await factory.Worker.RunOnceAsync(CancellationToken.None);

        var events = receiver.Processed.Values.OrderBy(e => e.Json["type"]!.GetValue<string>(), StringComparer.Ordinal).ToList();
        Assert.Equal(["dose.recorded", "dose.voided"], events.Select(e => e.Json["type"]!.GetValue<string>()));
        var voided = events[1];
        Assert.Equal(doseId, voided.Data["doseId"]!.GetValue<Guid>());
        Assert.NotNull(voided.Data["voidedAt"]?.GetValue<DateTime>());
        Assert.DoesNotContain(Reason, voided.Body, StringComparison.Ordinal);
        foreach (var identifier in await site.IdentifiersOfAsync(patientId))
        {
            Assert.DoesNotContain(identifier, voided.Body, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Empty(otherReceiver.Arrivals);
        Assert.Empty(await other.DeliveriesAsync(otherSubscription));
        await site.UnsubscribeAsync(subscription);
        await other.UnsubscribeAsync(otherSubscription);
    }

    [Fact]
    public async Task SafetyFlagOpened_IsDelivered_WithTheFlagAndAssessmentIds()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var site = await WebhookSite.CreateAsync(factory);
        var subscription = await site.SubscribeAsync(receiver, "safety-flag.opened");
        var patientId = await site.PatientAsync();
        // A PHQ-9 without item 9 opens no flag, so no event; one with item 9 = 2 opens one.
        await AssessmentData.Record(site.Data.Nurse, patientId, "phq9", AssessmentData.Phq9(10), DateTimeOffset.UtcNow.AddHours(-2));
        var assessment = await AssessmentData.Record(site.Data.Nurse, patientId, "phq9", AssessmentData.Phq9(14, item9: 2), DateTimeOffset.UtcNow.AddHours(-1));

        await factory.Worker.RunOnceAsync(CancellationToken.None);

        var flag = Assert.Single(receiver.Processed.Values);
        Assert.True(flag.VerifiedByLibrary && flag.VerifiedBySpec);
        Assert.Equal("safety-flag.opened", flag.Json["type"]!.GetValue<string>());
        Assert.Equal(assessment["safetyFlagId"]!.GetValue<Guid>(), flag.Data["flagId"]!.GetValue<Guid>());
        Assert.Equal(assessment["id"]!.GetValue<Guid>(), flag.Data["assessmentId"]!.GetValue<Guid>());
        Assert.Equal(patientId, flag.Data["patientId"]!.GetValue<Guid>());
        Assert.Equal("phq9-item9", flag.Data["reason"]!.GetValue<string>());
        // No answers or scores: the flag's existence is the news, the record is read through the API.
        Assert.Equal(["flagId", "patientId", "assessmentId", "siteId", "reason"], flag.Data.Select(p => p.Key));
        await site.UnsubscribeAsync(subscription);
    }

    [Fact]
    public async Task SessionMissed_OneEventPerClosedWindow_EvenWithScansOnTwoInstances_AndDelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var site = await WebhookSite.CreateAsync(factory);
        var subscription = await site.SubscribeAsync(receiver, "session.missed");
        var patientId = await site.PatientAsync();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(factory.Clock.GetUtcNow(), zone).DateTime);
        // Started eight days ago, nobody came: the windows that closed in the last three days are news (Webhooks:MissedLookbackDays).
        var plan = await site.Data.Plan(patientId, startDate: today.AddDays(-8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var planId = plan["id"]!.GetValue<Guid>();
        var report = await (await site.Data.Prescriber.GetAsync($"/api/v1/plans/{planId}/adherence").EnsureStatus(HttpStatusCode.OK)).ReadObject();
        var expected = report["dueDates"]!.AsArray().Select(d => d!.AsObject())
            .Where(d => d["status"]!.GetValue<string>() == "missed" && DateOnly.Parse(d["windowEnd"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).AddDays(1) >= today.AddDays(-3))
            .Select(d => d["dueDate"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(expected);

        using var second = new SecondWebhookInstance(factory);
        await Task.WhenAll(
            Task.Run(() => factory.MissedScan.RunOnceAsync(CancellationToken.None)), Task.Run(() => second.MissedScan.RunOnceAsync(CancellationToken.None)),
            Task.Run(() => factory.MissedScan.RunOnceAsync(CancellationToken.None)), Task.Run(() => second.MissedScan.RunOnceAsync(CancellationToken.None)));
        await factory.MissedScan.RunOnceAsync(CancellationToken.None);

        var stored = Convert.ToInt32(await factory.Database.ScalarAsync(
            $"SELECT COUNT(*) FROM outbox_events WHERE \"Type\" = 'session.missed' AND \"Payload\" LIKE '%{planId}%'"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected.Count, stored);

        await factory.Worker.RunOnceAsync(CancellationToken.None);
        var missed = receiver.Processed.Values.Where(e => e.Data["planId"]!.GetValue<Guid>() == planId).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), missed.Select(e => e.Data["dueDate"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(missed, e =>
        {
            Assert.Equal("session.missed", e.Json["type"]!.GetValue<string>());
            Assert.Equal(patientId, e.Data["patientId"]!.GetValue<Guid>());
            Assert.Equal(site.Id, e.Data["siteId"]!.GetValue<Guid>());
            Assert.Equal("not-scheduled", e.Data["reason"]!.GetValue<string>());
            Assert.Null(e.Data["sessionId"]);
        });
        Assert.Equal(receiver.Arrivals.Count, receiver.Processed.Count);
        await site.UnsubscribeAsync(subscription);
    }

    [Fact]
    public async Task TwoInstancesWorkersRacing_DeliverEachEventExactlyOnce()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var site = await WebhookSite.CreateAsync(factory);
        var subscription = await site.SubscribeAsync(receiver, "dose.recorded", "safety-flag.opened");
        var (patientId, _, sessionId) = await site.CheckedInSessionAsync();
        await site.Data.Dose(site.Data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created);
        for (var i = 1; i <= 3; i++)
        {
            await AssessmentData.Record(site.Data.Nurse, patientId, "phq9", AssessmentData.Phq9(12, item9: 1), DateTimeOffset.UtcNow.AddHours(-i));
        }

        for (var i = 0; i < 4; i++)
        {
            await site.Admin.PostAsync($"/api/v1/webhooks/subscriptions/{subscription["id"]}/ping", null).EnsureStatus(HttpStatusCode.Accepted);
        }

        using var second = new SecondWebhookInstance(factory);
        await Task.WhenAll(
            Task.Run(() => factory.Worker.RunOnceAsync(CancellationToken.None)), Task.Run(() => second.Worker.RunOnceAsync(CancellationToken.None)),
            Task.Run(() => factory.Worker.RunOnceAsync(CancellationToken.None)), Task.Run(() => second.Worker.RunOnceAsync(CancellationToken.None)));

        // 1 dose + 3 flags + 4 pings, each sent once: one delivery row per event, one request per webhook-id.
        Assert.Equal(8, receiver.Arrivals.Count);
        Assert.Equal(8, receiver.Processed.Count);
        var deliveries = await site.DeliveriesAsync(subscription);
        Assert.Equal(8, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(("delivered", 1), (d["status"]!.GetValue<string>(), d["attempts"]!.GetValue<int>())));
        Assert.Equal(4, receiver.Processed.Values.Count(e => e.Json["type"]!.GetValue<string>() == "webhook.ping"));
        await site.UnsubscribeAsync(subscription);
    }

    [Fact]
    public async Task AFailingReceiver_IsFailedAfterMaxAttempts_ThenRedelivered_WithTheSameWebhookId()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AlwaysFail = true;
        var site = await WebhookSite.CreateAsync(factory);
        var subscription = await site.SubscribeAsync(receiver, "dose.recorded");
        var ping = await (await site.Admin.PostAsync($"/api/v1/webhooks/subscriptions/{subscription["id"]}/ping", null)
            .EnsureStatus(HttpStatusCode.Accepted)).ReadObject();
        var deliveryId = ping["id"]!.GetValue<Guid>();
        // Still pending: a redelivery now is refused.
        await (await site.Admin.PostAsync($"/api/v1/webhooks/deliveries/{deliveryId}/redeliver", null))
            .AssertProblem(HttpStatusCode.Conflict, "webhook.delivery-pending");

        // Attempts 1, 2, 3 (MaxAttempts): waits of 30 s and 60 s between them, then failed.
        await factory.Worker.RunOnceAsync(CancellationToken.None);
        factory.Clock.Advance(TimeSpan.FromSeconds(31));
        await factory.Worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(2, receiver.Arrivals.Count);
        factory.Clock.Advance(TimeSpan.FromSeconds(31));
        await factory.Worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(2, receiver.Arrivals.Count);
        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        await factory.Worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(3, receiver.Arrivals.Count);
        var failed = (await site.DeliveryAsync(deliveryId))["delivery"]!;
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Null(failed["nextAttemptAt"]);

        receiver.AlwaysFail = false;
        await site.Admin.PostAsync($"/api/v1/webhooks/deliveries/{deliveryId}/redeliver", null).EnsureStatus(HttpStatusCode.Accepted);
        await factory.Worker.RunOnceAsync(CancellationToken.None);

        Assert.Equal(4, receiver.Arrivals.Count);
        Assert.Single(receiver.Arrivals.Select(a => a.WebhookId).Distinct());
        Assert.All(receiver.Arrivals, a => Assert.True(a.VerifiedByLibrary));
        var detail = await site.DeliveryAsync(deliveryId);
        Assert.Equal("delivered", detail["delivery"]!["status"]!.GetValue<string>());
        Assert.Equal([500, 500, 500, 200], detail["log"]!.AsArray().Select(a => a!["statusCode"]!.GetValue<int>()));
        Assert.Equal("webhook.ping", JsonNode.Parse(detail["payload"]!.GetValue<string>())!["type"]!.GetValue<string>());
        await site.UnsubscribeAsync(subscription);
    }
}
