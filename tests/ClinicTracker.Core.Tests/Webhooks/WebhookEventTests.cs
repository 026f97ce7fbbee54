using System.Text.Json;
using ClinicTracker.Core.Adherence;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using ClinicTracker.Core.Sites;
using ClinicTracker.Core.Webhooks;

namespace ClinicTracker.Core.Tests.Webhooks;

public sealed class WebhookEventTests
{
    private static readonly DateTime Now = new(2026, 3, 10, 15, 0, 0, DateTimeKind.Utc);

    // IV induction from Monday 2026-03-02, tolerance 1: due 03-02, 03-04, 03-06, 03-09, 03-11, 03-13 (Mon/Wed/Fri).
    private static TreatmentPlan NewPlan() => TreatmentPlan.Create(Guid.NewGuid(), Site.DefaultId, Medication.Ketamine, AdministrationRoute.Intravenous,
        new DateOnly(2026, 3, 2), "America/New_York", 1, PlanTemplates.IvInduction, PlanTemplates.Phases(PlanTemplates.IvInduction, new DateOnly(2026, 3, 2))!,
        null, 0.5m, "dr.patel", new DateTime(2026, 2, 20, 15, 0, 0, DateTimeKind.Utc));

    [Fact]
    public void MissedEventId_IsTheSameForThePlanAndDate_AndAVersion8Uuid()
    {
        var plan = Guid.NewGuid();
        var id = WebhookEvent.MissedEventId(plan, new DateOnly(2026, 3, 4));
        Assert.Equal(id, WebhookEvent.MissedEventId(plan, new DateOnly(2026, 3, 4)));
        Assert.NotEqual(id, WebhookEvent.MissedEventId(plan, new DateOnly(2026, 3, 6)));
        Assert.NotEqual(id, WebhookEvent.MissedEventId(Guid.NewGuid(), new DateOnly(2026, 3, 4)));
        // RFC 9562: the version digit is the 13th hex digit, the variant (8, 9, a or b) the 17th.
        var text = id.ToString("N");
        Assert.Equal('8', text[12]);
        Assert.Contains(text[16], "89ab");
    }

    [Fact]
    public void MissedWindows_AreTheClosedUnattendedWindowsOfTheLookback_WithTheReasonsSession()
    {
        var plan = NewPlan();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var noShow = Guid.NewGuid();
        var sessions = new[]
        {
            // Completed 03-02 09:00 New York: on time for 03-02.
            new AdherenceSessionRow(Guid.NewGuid(), plan.Id, SessionStatus.Completed, null, new DateTime(2026, 3, 2, 13, 30, 0, DateTimeKind.Utc),
                new DateTime(2026, 3, 2, 14, 0, 0, DateTimeKind.Utc)),
            // A no-show booked 03-04 10:00 New York: inside the window [03-03, 03-05] of 03-04.
            new AdherenceSessionRow(noShow, plan.Id, SessionStatus.NoShow, null, new DateTime(2026, 3, 4, 15, 0, 0, DateTimeKind.Utc), null),
        };
        // As of 03-10: 03-04 missed (no-show), its window closed when 03-06 began; 03-06 [03-05, 03-07] missed with nothing
        // booked, closed when 03-08 began; 03-09's window [03-08, 03-10] is still open (03-10 is not before D).
        var input = PlanAdherence.Input(plan, sessions, new DateOnly(2026, 3, 10), 60, zone);
        var report = AdherenceCalculator.Calculate(input);

        var sinceThe6th = MissedWindows.Find(plan, input, report, zone, new DateOnly(2026, 3, 6));
        Assert.Equal([new DateOnly(2026, 3, 4), new DateOnly(2026, 3, 6)], sinceThe6th.Select(m => m.DueDate));
        var first = sinceThe6th[0];
        Assert.Equal((MissedReason.NoShow, (Guid?)noShow), (first.Reason, first.SessionId));
        Assert.Equal((new DateOnly(2026, 3, 3), new DateOnly(2026, 3, 5)), (first.WindowStart, first.WindowEnd));
        // 2026-03-06 00:00 EST (UTC−5) = 05:00Z.
        Assert.Equal(new DateTime(2026, 3, 6, 5, 0, 0, DateTimeKind.Utc), first.ClosedAtUtc);
        var second = sinceThe6th[1];
        Assert.Equal((MissedReason.NotScheduled, (Guid?)null), (second.Reason, second.SessionId));
        // 2026-03-08 is the day daylight saving starts (at 02:00): midnight is still EST, 05:00Z.
        Assert.Equal(new DateTime(2026, 3, 8, 5, 0, 0, DateTimeKind.Utc), second.ClosedAtUtc);

        // A lookback from 03-07 leaves out the window that closed on 03-06.
        Assert.Equal([new DateOnly(2026, 3, 6)], MissedWindows.Find(plan, input, report, zone, new DateOnly(2026, 3, 7)).Select(m => m.DueDate));
    }

    [Fact]
    public void SessionMissed_Payload_HoldsIdsDatesAndTheReasonOnly()
    {
        var plan = NewPlan();
        var missed = new MissedWindow(plan.Id, plan.PatientId, plan.SiteId, new DateOnly(2026, 3, 6), new DateOnly(2026, 3, 5),
            new DateOnly(2026, 3, 7), new DateTime(2026, 3, 8, 5, 0, 0, DateTimeKind.Utc), MissedReason.NotScheduled, null);
        var e = WebhookEvent.SessionMissed(missed, Now);

        Assert.Equal(WebhookEvent.MissedEventId(plan.Id, missed.DueDate), e.Id);
        Assert.Equal(missed.ClosedAtUtc, e.OccurredAt);
        using var body = JsonDocument.Parse(e.Payload);
        Assert.Equal(["id", "type", "timestamp", "data"], body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("session.missed", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("2026-03-08T05:00:00Z", body.RootElement.GetProperty("timestamp").GetString());
        var data = body.RootElement.GetProperty("data");
        Assert.Equal(["planId", "patientId", "siteId", "dueDate", "windowStart", "windowEnd", "reason", "sessionId"], data.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-03-06", data.GetProperty("dueDate").GetString());
        Assert.Equal("not-scheduled", data.GetProperty("reason").GetString());
    }

    [Fact]
    public void Subscription_WantsItsTypesAndSites_OnlyWhileActive_AndOnlyEventsWrittenAfterIt()
    {
        var north = Guid.NewGuid();
        var south = Guid.NewGuid();
        var made = new DateTime(2026, 3, 9, 12, 0, 0, DateTimeKind.Utc);
        var subscription = WebhookSubscription.Create("https://ehr.example/hook", ["session.missed"], [north], null, true, "admin", made);
        OutboxEvent Missed(Guid site, DateTime written) => WebhookEvent.SessionMissed(
            new MissedWindow(Guid.NewGuid(), Guid.NewGuid(), site, new DateOnly(2026, 3, 6), new DateOnly(2026, 3, 5), new DateOnly(2026, 3, 7),
                new DateTime(2026, 3, 8, 5, 0, 0, DateTimeKind.Utc), MissedReason.NoShow, null), written);

        // The window closed before the subscription was made, but the event was written after it: news to it.
        Assert.True(subscription.Wants(Missed(north, Now)));
        Assert.False(subscription.Wants(Missed(south, Now)));
        Assert.False(subscription.Wants(Missed(north, made.AddSeconds(-1))));
        Assert.False(subscription.Wants(WebhookEvent.Ping(subscription.Id, Now)));

        subscription.Change(null, null, [], null, null, "admin", Now);
        Assert.Null(subscription.Sites);
        Assert.True(subscription.Wants(Missed(south, Now)));
        subscription.Change(null, null, null, null, false, "admin", Now);
        Assert.False(subscription.Wants(Missed(north, Now)));
    }

    [Fact]
    public void Subscription_Secret_IsWhsecAnd32RandomBytes_AndRotationReplacesIt()
    {
        var subscription = WebhookSubscription.Create("https://ehr.example/hook", ["dose.recorded"], null, null, true, "admin", Now);
        var secret = subscription.Secret;
        Assert.StartsWith(WebhookSubscription.SecretPrefix, secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret[WebhookSubscription.SecretPrefix.Length..]).Length);
        Assert.NotEqual(secret, WebhookSubscription.Create("https://ehr.example/hook", ["dose.recorded"], null, null, true, "admin", Now).Secret);
        subscription.RotateSecret("admin", Now);
        Assert.NotEqual(secret, subscription.Secret);
        Assert.Equal(2, subscription.Version);
    }
}
