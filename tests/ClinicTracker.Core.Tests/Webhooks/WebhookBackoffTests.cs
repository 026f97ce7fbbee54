using ClinicTracker.Core.Webhooks;

namespace ClinicTracker.Core.Tests.Webhooks;

public sealed class WebhookBackoffTests
{
    // Defaults (docs/integrators.md, Webhooks): base 60 s, cap 4 h = 14,400 s, 10 attempts. The wait after the n-th failed attempt
    // is 60 × 2^(n−1): 60, 120, 240, 480, 960, 1,920, 3,840, 7,680; the 9th would be 15,360 > 14,400, so the cap; the
    // 10th attempt is the last, so no wait. Sum of the waits: 60+120+240+480+960+1,920+3,840+7,680+14,400 = 29,700 s = 8 h 15 min.
    [Theory]
    [InlineData(1, 60)]
    [InlineData(2, 120)]
    [InlineData(3, 240)]
    [InlineData(4, 480)]
    [InlineData(5, 960)]
    [InlineData(6, 1_920)]
    [InlineData(7, 3_840)]
    [InlineData(8, 7_680)]
    [InlineData(9, 14_400)]
    [InlineData(10, null)]
    [InlineData(11, null)]
    public void DelayAfter_DefaultSchedule(int attempt, int? seconds) =>
        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null,
            WebhookBackoff.DelayAfter(attempt, 10, TimeSpan.FromSeconds(60), TimeSpan.FromHours(4)));

    [Fact]
    public void DelayAfter_DefaultSchedule_SpansEightHoursAndAQuarter()
    {
        var total = Enumerable.Range(1, 10).Select(n => WebhookBackoff.DelayAfter(n, 10, TimeSpan.FromSeconds(60), TimeSpan.FromHours(4)))
            .Aggregate(TimeSpan.Zero, (sum, wait) => sum + (wait ?? TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(29_700), total);
    }

    // The tests' settings: base 30 s, cap 600 s, 3 attempts → 30 s, 60 s, then failed.
    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, null)]
    public void DelayAfter_ShortSchedule(int attempt, int? seconds) =>
        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null,
            WebhookBackoff.DelayAfter(attempt, 3, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(600)));

    [Fact]
    public void DelayAfter_ManyAttempts_StaysAtTheCap_WithoutOverflow()
    {
        // 60 s × 2^39 would be far beyond TimeSpan's range; the exponent is bounded and the cap applies.
        Assert.Equal(TimeSpan.FromHours(4), WebhookBackoff.DelayAfter(40, 50, TimeSpan.FromSeconds(60), TimeSpan.FromHours(4)));
        Assert.Equal(TimeSpan.FromDays(7), WebhookBackoff.DelayAfter(49, 50, TimeSpan.FromDays(1), TimeSpan.FromDays(7)));
    }

    [Fact]
    public void DelayAfter_OneAttemptOnly_NeverWaits() =>
        Assert.Null(WebhookBackoff.DelayAfter(1, 1, TimeSpan.FromSeconds(60), TimeSpan.FromHours(4)));
}
