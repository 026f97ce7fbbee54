using System.Globalization;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Api.Webhooks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace ClinicTracker.Api.Tests.Webhooks;

/// <summary>Real time plus an offset the test moves forward: retries become due without waiting for them.</summary>
public sealed class ShiftedClock : TimeProvider
{
    private long offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);
}

/// <summary>
/// The API with webhooks to loopback allowed (the receiver runs on 127.0.0.1), short retries (30 s, doubling, 3
/// attempts), its background loops idle (the tests drive <see cref="WebhookDeliveryWorker.RunOnceAsync"/> and
/// <see cref="MissedSessionScan.RunOnceAsync"/>), and a clock the tests move forward.
/// </summary>
public sealed class WebhookFactory : ClinicApiFactory
{
    public const int RetryBaseSeconds = 30;
    public const int MaxAttempts = 3;

    public ShiftedClock Clock { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings => Settings(sameDatabaseAs: null);

    /// <summary>The webhook settings; with <paramref name="sameDatabaseAs"/>, on that factory's database with migrations off.</summary>
    internal static Dictionary<string, string?> Settings(ClinicApiFactory? sameDatabaseAs)
    {
        var settings = sameDatabaseAs is null ? [] : new Dictionary<string, string?>(sameDatabaseAs.Database.Settings)
        {
            ["Database:MigrateOnStartup"] = "false",
        };
        settings["Webhooks:PollSeconds"] = "3600";
        settings["Webhooks:MissedScanSeconds"] = "86400";
        settings["Webhooks:RequireHttps"] = "false";
        settings["Webhooks:AllowPrivateNetworks"] = "true";
        settings["Webhooks:RetryBaseSeconds"] = RetryBaseSeconds.ToString(CultureInfo.InvariantCulture);
        settings["Webhooks:RetryMaxSeconds"] = "600";
        settings["Webhooks:MaxAttempts"] = MaxAttempts.ToString(CultureInfo.InvariantCulture);
        settings["Webhooks:TimeoutSeconds"] = "5";
        return settings;
    }

    public WebhookDeliveryWorker Worker => Services.GetRequiredService<WebhookDeliveryWorker>();

    public MissedSessionScan MissedScan => Services.GetRequiredService<MissedSessionScan>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>
/// A second API instance on the database of <paramref name="first"/>, started with migrations off as a second instance
/// is, on the first one's clock (so both see the same deliveries as due).
/// </summary>
public sealed class SecondWebhookInstance(WebhookFactory first) : ClinicApiFactory
{
    protected override IDictionary<string, string?> ExtraSettings => WebhookFactory.Settings(first);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(first.Clock));
    }

    public WebhookDeliveryWorker Worker => Services.GetRequiredService<WebhookDeliveryWorker>();

    public MissedSessionScan MissedScan => Services.GetRequiredService<MissedSessionScan>();
}
