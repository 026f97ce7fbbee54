using ClinicTracker.Core.Common;

namespace ClinicTracker.Api.Webhooks;

/// <summary>The <c>Webhooks</c> section (docs/operations.md, docs/integrators.md, Webhooks; ADR 0021).</summary>
public sealed class WebhookOptions : IValidatableOptions
{
    public const string Section = "Webhooks";

    /// <summary>How often each instance dispatches new events and sends the deliveries that are due.</summary>
    public int PollSeconds { get; set; } = 5;

    /// <summary>Attempts per round before a delivery is failed (an admin's redelivery starts a new round).</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait after the first failed attempt; each further failure doubles it (WebhookBackoff).</summary>
    public int RetryBaseSeconds { get; set; } = 60;

    /// <summary>The longest wait between two attempts.</summary>
    public int RetryMaxSeconds { get; set; } = 4 * 3600;

    /// <summary>How long one attempt may take, connection included; longer is a failure (<c>timeout</c>).</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Deliveries one instance claims per pass.</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>Deliveries one instance sends at once (each to its own receiver).</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>Only https receivers (true unless configured otherwise; Development turns it off in appsettings.Development.json).</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>
    /// Whether receivers may be on loopback, private, link-local (cloud metadata) or other non-public addresses. Off by
    /// default: a subscription must not turn the API into a way to reach the clinic's internal network (SSRF).
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// When not empty, the only host names receivers may have (compared case-insensitively); these may be on private
    /// networks (an interface engine inside the clinic). Empty: any host on a public address.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>How often each instance looks for due windows that closed unattended (<c>session.missed</c>).</summary>
    public int MissedScanSeconds { get; set; } = 300;

    /// <summary>How far back the scan reports a closed window (days): an older miss, e.g. at the first start after an upgrade, is history.</summary>
    public int MissedLookbackDays { get; set; } = 3;

    public TimeSpan RetryBase => TimeSpan.FromSeconds(RetryBaseSeconds);

    public TimeSpan RetryMax => TimeSpan.FromSeconds(RetryMaxSeconds);

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Range(string name, int value, int min, int max)
        {
            if (value < min || value > max)
            {
                problems.Add($"Webhooks:{name} must be between {min} and {max}.");
            }
        }

        Range(nameof(PollSeconds), PollSeconds, 1, 3600);
        Range(nameof(MaxAttempts), MaxAttempts, 1, 50);
        Range(nameof(RetryBaseSeconds), RetryBaseSeconds, 1, 86_400);
        Range(nameof(RetryMaxSeconds), RetryMaxSeconds, 1, 7 * 86_400);
        Range(nameof(TimeoutSeconds), TimeoutSeconds, 1, 120);
        Range(nameof(BatchSize), BatchSize, 1, 1000);
        Range(nameof(Concurrency), Concurrency, 1, 64);
        Range(nameof(MissedScanSeconds), MissedScanSeconds, 10, 86_400);
        Range(nameof(MissedLookbackDays), MissedLookbackDays, 0, 60);
        if (RetryMaxSeconds < RetryBaseSeconds)
        {
            problems.Add("Webhooks:RetryMaxSeconds must not be below Webhooks:RetryBaseSeconds.");
        }

        if (AllowedHosts.Any(h => Uri.CheckHostName(h) == UriHostNameType.Unknown))
        {
            problems.Add("Webhooks:AllowedHosts must hold host names or addresses only (no scheme, port or path).");
        }

        return problems;
    }
}
