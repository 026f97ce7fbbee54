namespace ClinicTracker.Core.Common;

/// <summary>
/// Dose amounts are stored as whole micrograms: exact to the 0.01 mg the API accepts, summable and
/// comparable in SQL on every provider (SQLite stores decimal as text, which does not compare numerically).
/// </summary>
public static class Amounts
{
    public static long ToUg(decimal mg) => (long)decimal.Round(mg * 1000m, 0, MidpointRounding.AwayFromZero);

    public static decimal ToMg(long ug) => ug / 1000m;

    /// <summary>Whether a value has at most two decimal places.</summary>
    public static bool HasAtMostTwoDecimals(decimal value) => decimal.Round(value, 2) == value;
}
