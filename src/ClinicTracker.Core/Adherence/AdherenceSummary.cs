using ClinicTracker.Core.Patients;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClinicTracker.Core.Adherence;

/// <summary>
/// One active plan's adherence figures as the clinic-wide report lists them (domain.md §10), kept up to date so
/// the report is an index read instead of a recomputation of every plan (ADR 0016). Derived data: the sessions
/// and the plan are the record; a summary can always be recomputed from them (<see cref="AdherenceSummaries"/>).
/// </summary>
/// <remarks>
/// Written in the same transaction as every write that changes the plan's adherence, and by a background refresh
/// when the passing of time changes it (a due window closing): <see cref="StaleAtUtc"/> is the first instant it may
/// no longer be right. Only active plans have one; a plan that ends loses its row.
/// </remarks>
public sealed class AdherenceSummary : IPatientLinked
{
    /// <summary>Rates are stored as integers, rate × 10,000 (4 decimals exactly), so both providers order and compare them alike.</summary>
    public const int RateScale = 10_000;

    /// <summary>"Never stale": nothing the passing of time can change (no due date ahead, no session dated ahead).</summary>
    public static readonly DateTime Never = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    private AdherenceSummary()
    {
    }

    /// <summary>The plan (also the key).</summary>
    public Guid PlanId { get; private set; }

    /// <summary>Same as <see cref="PlanId"/>, for <see cref="IPatientLinked"/>.</summary>
    public Guid Id => PlanId;

    public Guid PatientId { get; private set; }

    /// <summary>The plan's site (domain.md §14: the report is per site).</summary>
    public Guid SiteId { get; private set; }

    /// <summary>The plan's IANA zone: the report's "today" for this plan.</summary>
    public string TimeZone { get; private set; } = "";

    /// <summary>The clinic-local date the figures were computed for.</summary>
    public DateOnly AsOf { get; private set; }

    public int Due { get; private set; }

    public int OnTime { get; private set; }

    public int Late { get; private set; }

    public int Missed { get; private set; }

    /// <summary>Adherence rate × <see cref="RateScale"/>; null while nothing is due.</summary>
    public int? AdherenceRateScaled { get; private set; }

    /// <summary>On-time rate × <see cref="RateScale"/>; null while nothing is due.</summary>
    public int? OnTimeRateScaled { get; private set; }

    /// <summary>The last completed session's clinic-local date; the report shows days since it.</summary>
    public DateOnly? LastSessionOn { get; private set; }

    public DateOnly? NextDueDate { get; private set; }

    /// <summary>The first instant at which the passing of time may change these figures (<see cref="Never"/> if none).</summary>
    public DateTime StaleAtUtc { get; private set; }

    public DateTime ComputedAt { get; private set; }

    /// <summary>Bumped by every change; the background refresh writes only over the version it read.</summary>
    public int Version { get; private set; }

    /// <summary>A new row with <paramref name="figures"/>.</summary>
    public static AdherenceSummary For(TreatmentPlan plan, AdherenceFigures figures)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var summary = new AdherenceSummary { PlanId = plan.Id, PatientId = plan.PatientId };
        summary.Apply(plan, figures);
        return summary;
    }

    /// <summary>Takes the freshly computed <paramref name="figures"/> of <paramref name="plan"/>.</summary>
    public void Apply(TreatmentPlan plan, AdherenceFigures figures)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(figures);
        SiteId = plan.SiteId;
        TimeZone = plan.TimeZone;
        AsOf = figures.AsOf;
        Due = figures.Due;
        OnTime = figures.OnTime;
        Late = figures.Late;
        Missed = figures.Missed;
        AdherenceRateScaled = figures.AdherenceRateScaled;
        OnTimeRateScaled = figures.OnTimeRateScaled;
        LastSessionOn = figures.LastSessionOn;
        NextDueDate = figures.NextDueDate;
        StaleAtUtc = figures.StaleAtUtc;
        ComputedAt = figures.ComputedAt;
        Version++;
    }
}

/// <summary>A plan's listed adherence figures as of a date, and until when they hold (<see cref="AdherenceStability"/>).</summary>
public sealed record AdherenceFigures(
    DateOnly AsOf, int Due, int OnTime, int Late, int Missed, int? AdherenceRateScaled, int? OnTimeRateScaled,
    DateOnly? LastSessionOn, DateOnly? NextDueDate, DateTime StaleAtUtc, DateTime ComputedAt)
{
    /// <summary>Computes the figures of one plan from its calculator input (already as of today in its zone).</summary>
    public static AdherenceFigures Of(AdherenceInput input, TimeZoneInfo zone, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(input);
        var report = AdherenceCalculator.Calculate(input);
        var stableThrough = AdherenceStability.StableThrough(input);
        return new AdherenceFigures(
            input.AsOf, report.Due, report.OnTime, report.Late, report.Missed, Scaled(report.AdherenceRate), Scaled(report.OnTimeRate),
            AdherenceStability.LastSessionOn(input), report.NextDueDate,
            stableThrough is { } through ? ClinicTime.StartOfDayUtc(through.AddDays(1), zone) : AdherenceSummary.Never,
            nowUtc);
    }

    /// <summary>Rates have 4 decimals (AdherenceCalculator), so × 10,000 is exact.</summary>
    public static int? Scaled(decimal? rate) => rate is { } r ? (int)(r * AdherenceSummary.RateScale) : null;
}

internal sealed class AdherenceSummaryConfiguration : IEntityTypeConfiguration<AdherenceSummary>
{
    public void Configure(EntityTypeBuilder<AdherenceSummary> builder)
    {
        builder.ToTable("adherence_summaries");
        builder.HasKey(s => s.PlanId);
        builder.Ignore(s => s.Id);
        builder.HasOne<TreatmentPlan>().WithOne().HasForeignKey<AdherenceSummary>(s => s.PlanId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Patient>().WithMany().HasForeignKey(s => s.PatientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Site>().WithMany().HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(s => s.TimeZone).HasMaxLength(64);
        // The clinic-wide report (domain.md §10, §14): one site's plans in the report's order — worst rate first,
        // then most missed, then plan id — read in index order with keyset paging; and the same across all sites.
        builder.HasIndex(s => new { s.SiteId, s.AdherenceRateScaled, s.Missed, s.PlanId }).IsDescending(false, false, true, false);
        builder.HasIndex(s => new { s.AdherenceRateScaled, s.Missed, s.PlanId }).IsDescending(false, true, false);
        // The background refresh and the report's stale check: the rows whose figures the passing of time has changed
        // (few: a range at the start of the index), with the plan so the check reads the index alone.
        builder.HasIndex(s => new { s.StaleAtUtc, s.PlanId });
    }
}
