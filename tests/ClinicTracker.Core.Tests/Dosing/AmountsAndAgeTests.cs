using ClinicTracker.Core.Common;
using ClinicTracker.Core.Dosing;

namespace ClinicTracker.Core.Tests.Dosing;

public sealed class AmountsAndAgeTests
{
    [Theory]
    [InlineData("70.01", 70_010L)]
    [InlineData("52.5", 52_500L)]
    [InlineData("0.01", 10L)]
    [InlineData("84", 84_000L)]
    public void Milligrams_AreStoredAsWholeMicrograms(string mg, long ug)
    {
        var amount = decimal.Parse(mg, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(ug, Amounts.ToUg(amount));
        Assert.Equal(amount, Amounts.ToMg(ug));
    }

    [Theory]
    [InlineData("35.25", true)]
    [InlineData("35.2", true)]
    [InlineData("35.251", false)]
    public void AtMostTwoDecimals(string mg, bool ok) =>
        Assert.Equal(ok, Amounts.HasAtMostTwoDecimals(decimal.Parse(mg, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    // Born 1961-11-28: the day before the 65th birthday is 64, the birthday itself 65.
    [InlineData("1961-11-28", "2026-11-27", 64)]
    [InlineData("1961-11-28", "2026-11-28", 65)]
    // Born on a leap day: in a common year the birthday falls on 28 February (so 2025-02-27 is 64 and
    // 2025-02-28 is 65). For the esketamine age ≥ 65 rule this is the cautious reading: the lower start dose applies a day earlier.
    [InlineData("1960-02-29", "2025-02-27", 64)]
    [InlineData("1960-02-29", "2025-02-28", 65)]
    public void AgeOn_CountsWholeYears(string born, string on, int age) =>
        Assert.Equal(age, DoseRecorder.AgeOn(DateOnly.Parse(born, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture)));
}
