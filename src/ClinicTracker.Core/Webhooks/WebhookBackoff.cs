namespace ClinicTracker.Core.Webhooks;

/// <summary>
/// When a failed delivery is tried again (ADR 0021): exponential backoff, the n-th attempt of a round followed, if it
/// fails, by a wait of base × 2^(n−1), capped; after <c>maxAttempts</c> failed attempts the delivery is failed.
/// Deterministic (no jitter): the events of one receiver outage are spread by their own failure times already, and a
/// documented schedule is one an integrator can plan its maintenance windows around.
/// </summary>
public static class WebhookBackoff
{
    /// <summary>
    /// The wait after the <paramref name="attemptInRound"/>-th failed attempt of a round (1-based), or null when that
    /// was the last one allowed.
    /// </summary>
    public static TimeSpan? DelayAfter(int attemptInRound, int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attemptInRound, 1);
        if (attemptInRound >= maxAttempts)
        {
            return null;
        }

        // 2^(n−1) overflows nothing here: the cap is reached long before 2^62 ticks (n ≤ 30 keeps the shift small).
        var factor = Math.Pow(2, Math.Min(attemptInRound - 1, 30));
        var ticks = baseDelay.Ticks * factor;
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
