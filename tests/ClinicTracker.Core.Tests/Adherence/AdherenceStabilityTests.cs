using ClinicTracker.Core.Adherence;
using ClinicTracker.Core.Plans;

namespace ClinicTracker.Core.Tests.Adherence;

/// <summary>
/// How long a summary's figures hold (ADR 0016): <see cref="AdherenceStability.StableThrough"/> must never name a
/// date after the first change of the listed figures, or the report would list stale figures as current.
/// </summary>
public sealed class AdherenceStabilityTests
{
    private static AdherenceInput Input(string asOf, int tolerance, string[] due, params (string Date, AdherenceSessionStatus Status)[] sessions) => new(
        [.. due.Select((d, i) => new AdherenceDueDate(DateOnly.Parse(d, System.Globalization.CultureInfo.InvariantCulture), i == 0))],
        tolerance,
        [.. sessions.Select((s, i) => new AdherenceSession(
            new Guid(i + 1, 0, 0, new byte[8]), s.Status, DateOnly.Parse(s.Date, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.Parse(s.Date, System.Globalization.CultureInfo.InvariantCulture).ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc)))],
        DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture),
        null);

    [Fact]
    public void WeeklyPlan_HoldsUntilTheNextDueDatePasses()
    {
        // Due 01-05 and 01-12, t = 1; attended 01-05; D = 01-07.
        // Candidates after D: 01-05 + 1 = 01-06 and + 2 = 01-07 are not after D; 01-12 + 1 = 01-13, + 2 = 01-14.
        // First change possible on 01-13 (the next due date moves past 01-12) → stable through 01-12.
        var input = Input("2026-01-07", 1, ["2026-01-05", "2026-01-12"], ("2026-01-05", AdherenceSessionStatus.Completed));

        Assert.Equal(new DateOnly(2026, 1, 12), AdherenceStability.StableThrough(input));
        Assert.Equal(new DateOnly(2026, 1, 5), AdherenceStability.LastSessionOn(input));
    }

    [Fact]
    public void EveryWindowClosed_AndNoSessionAhead_HoldsForever()
    {
        // Due 01-05, t = 1; D = 01-20: its window closed on 01-07 (missed since 01-07), nothing else can change.
        var input = Input("2026-01-20", 1, ["2026-01-05"], ("2026-01-04", AdherenceSessionStatus.NoShow));

        Assert.Null(AdherenceStability.StableThrough(input));
        Assert.Null(AdherenceStability.LastSessionOn(input));
    }

    [Fact]
    public void ACompletedSessionDatedAhead_JoinsOnItsDate()
    {
        // Due 01-05 and 03-02, t = 3; D = 01-20; a completed session dated 01-25 (a clock ahead of the clinic's).
        // Candidates after D: 01-25 (the session), 03-03, 03-06 → stable through 01-24.
        var input = Input("2026-01-20", 3, ["2026-01-05", "2026-03-02"], ("2026-01-25", AdherenceSessionStatus.Completed));

        Assert.Equal(new DateOnly(2026, 1, 24), AdherenceStability.StableThrough(input));
        Assert.Null(AdherenceStability.LastSessionOn(input));
    }

    /// <summary>
    /// Over 3,000 random plans (seeded): for every report date from D to the date StableThrough names, the listed
    /// figures are those as of D. A candidate date left out (a window closing, the next due date moving on, a
    /// session dated ahead) makes this fail.
    /// </summary>
    [Fact]
    public void Property_FiguresDoNotChangeBeforeTheNamedDate()
    {
        var random = new Random(20261201);
        var statuses = Enum.GetValues<AdherenceSessionStatus>();
        var zone = TimeZoneInfo.Utc;
        var checkedDays = 0;
        for (var n = 0; n < 3000; n++)
        {
            var start = new DateOnly(2026, 1, 1).AddDays(random.Next(0, 60));
            var tolerance = random.Next(0, 4);
            var every = random.Next(2 * tolerance + 1, 15);
            var due = Enumerable.Range(0, random.Next(1, 8)).Select(i => start.AddDays(i * every).ToString("O")).ToArray();
            var sessions = Enumerable.Range(0, random.Next(0, 8))
                .Select(_ => (start.AddDays(random.Next(-5, 60)).ToString("O"), statuses[random.Next(statuses.Length)]))
                .ToArray();
            var asOf = start.AddDays(random.Next(-10, 70));
            var input = Input(asOf.ToString("O"), tolerance, due, sessions);
            var figures = Listed(input, zone);
            var through = AdherenceStability.StableThrough(input) ?? asOf.AddDays(120);
            Assert.True(through >= asOf, $"case {n}: stable through {through} before D {asOf}");
            for (var day = asOf.AddDays(1); day <= through && day <= asOf.AddDays(120); day = day.AddDays(1))
            {
                checkedDays++;
                Assert.True(figures == Listed(input with { AsOf = day }, zone),
                    $"case {n}: figures as of {asOf} changed on {day}, before {through.AddDays(1)}");
            }
        }

        Assert.True(checkedDays > 10_000, $"only {checkedDays} days compared");
    }

    [Fact]
    public void StartOfDayUtc_IsMidnight_OrTheFirstMinuteAfterAGapAtMidnight()
    {
        // New York, 2026-03-08: the clocks go forward at 02:00, so midnight is EST (UTC−5): 05:00 UTC.
        Assert.Equal(new DateTime(2026, 3, 8, 5, 0, 0, DateTimeKind.Utc),
            ClinicTime.StartOfDayUtc(new DateOnly(2026, 3, 8), TimeZoneInfo.FindSystemTimeZoneById("America/New_York")));
        // Santiago, 2026-09-06: the clocks go from 24:00 on the 5th (UTC−4) to 01:00 on the 6th (UTC−3), so the
        // day starts at 01:00 −03:00 = 04:00 UTC.
        Assert.Equal(new DateTime(2026, 9, 6, 4, 0, 0, DateTimeKind.Utc),
            ClinicTime.StartOfDayUtc(new DateOnly(2026, 9, 6), TimeZoneInfo.FindSystemTimeZoneById("America/Santiago")));
    }

    private static (int Due, int OnTime, int Late, int Missed, int? Rate, int? OnTimeRate, DateOnly? Last, DateOnly? Next) Listed(
        AdherenceInput input, TimeZoneInfo zone)
    {
        var f = AdherenceFigures.Of(input, zone, DateTime.UnixEpoch);
        return (f.Due, f.OnTime, f.Late, f.Missed, f.AdherenceRateScaled, f.OnTimeRateScaled, f.LastSessionOn, f.NextDueDate);
    }
}
