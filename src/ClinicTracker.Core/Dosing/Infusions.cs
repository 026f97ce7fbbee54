namespace ClinicTracker.Core.Dosing;

/// <summary>How long an infusion ran, computed one way for the limit check, the stored dose and every response.</summary>
public static class Infusions
{
    /// <summary>
    /// Minutes from start to end, truncated (never rounded up) to 2 decimals: 29 min 57 s is 29.95, and
    /// 29 min 59.9 s is 29.99, so no rounding can lift an infusion to the 30-minute limit (domain.md §3).
    /// </summary>
    public static decimal Minutes(DateTime startedAt, DateTime endedAt) =>
        decimal.Truncate((decimal)(endedAt - startedAt).Ticks / TimeSpan.TicksPerMinute * 100m) / 100m;

    /// <summary>Rate in mg/h over <see cref="Minutes"/>, to 2 decimals; null for a zero-length infusion.</summary>
    public static decimal? RateMgPerHour(decimal amountMg, decimal minutes) =>
        minutes > 0 ? decimal.Round(amountMg / minutes * 60m, 2, MidpointRounding.AwayFromZero) : null;
}
