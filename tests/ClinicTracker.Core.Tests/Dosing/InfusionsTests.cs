using ClinicTracker.Core.Dosing;

namespace ClinicTracker.Core.Tests.Dosing;

/// <summary>Infusion minutes, one way everywhere: truncated to 2 decimals.</summary>
public sealed class InfusionsTests
{
    private static readonly DateTime Start = new(2026, 3, 10, 9, 0, 0, DateTimeKind.Utc);

    [Theory]
    // 29 min 57 s = 29.95 min exactly.
    [InlineData(29 * 60 + 57, 29.95)]
    // 29 min 59.9 s = 29.99833… → 29.99 (never rounded up to 30.00, which would pass the 30-minute limit).
    [InlineData(29 * 60 + 59.9, 29.99)]
    // 40 min → 40.
    [InlineData(40 * 60, 40)]
    // 30 min 1 s = 30.01666… → 30.01.
    [InlineData(30 * 60 + 1, 30.01)]
    // 20 s = 0.333… → 0.33.
    [InlineData(20, 0.33)]
    public void Minutes_TruncatesToTwoDecimals(double seconds, decimal expected)
    {
        Assert.Equal(expected, Infusions.Minutes(Start, Start.AddSeconds(seconds)));
    }

    [Theory]
    // 35 mg over 29.95 min: 35 / 29.95 × 60 = 70.1168… → 70.12 mg/h.
    [InlineData(35, 29.95, 70.12)]
    // 35 mg over 30 min → 70 mg/h; 52.5 over 40 → 78.75.
    [InlineData(35, 30, 70)]
    [InlineData(52.5, 40, 78.75)]
    public void RateMgPerHour_UsesTheSameMinutes(decimal amountMg, decimal minutes, decimal expected)
    {
        Assert.Equal(expected, Infusions.RateMgPerHour(amountMg, minutes));
    }

    [Fact]
    public void RateMgPerHour_OfAZeroLengthInfusion_IsNull() => Assert.Null(Infusions.RateMgPerHour(35m, 0m));
}
