using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ClinicTracker.Core.Adherence;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Plans;
using Microsoft.EntityFrameworkCore;
using ClinicTracker.Core.Sites;

namespace ClinicTracker.Bench;

/// <summary>
/// Run in-process: BenchmarkDotNet's default toolchain generates and builds a second project inside this
/// repository, which would inherit the repository-wide build settings (warnings as errors, central package
/// versions) and cost another build on a 2-core machine.
/// </summary>
public abstract class InProcessConfig : ManualConfig
{
    protected InProcessConfig(RunStrategy strategy, int iterations)
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithStrategy(strategy)
            .WithWarmupCount(1).WithIterationCount(iterations).WithId(strategy.ToString()));
    }
}

/// <summary>One seeded clinic for the whole run: CLINICTRACKER_BENCH_DIR, else a folder under the temp directory.</summary>
public static class BenchClinic
{
    public static string Directory { get; } = Environment.GetEnvironmentVariable("CLINICTRACKER_BENCH_DIR")
        ?? Path.Combine(Path.GetTempPath(), "clinictracker-bench");

    public static DateTime NowUtc { get; } = DateTime.UtcNow;

    public static DbContextOptions<ClinicDbContext> EnsureSeeded()
    {
        if (!BenchDatabase.Exists(Directory))
        {
            BenchDatabase.SeedAsync(Directory, BenchDatabase.DefaultPlans, NowUtc, Console.Out).GetAwaiter().GetResult();
        }

        return BenchDatabase.Options(Directory);
    }
}

/// <summary>
/// The clinic-wide report exactly as GET /api/v1/reports/adherence computes it (the same Core call): both
/// queries, the per-plan calculation, the filter and the sort. Each iteration runs it once, cold context.
/// </summary>
[Config(typeof(ClinicReportConfig))]
[MemoryDiagnoser]
public class ClinicReportBenchmarks
{
    private DbContextOptions<ClinicDbContext> options = null!;

    [GlobalSetup]
    public void Setup() => options = BenchClinic.EnsureSeeded();

    [Benchmark(Description = "Clinic-wide report, 10,000 active plans (load + calculate + sort)")]
    public async Task<int> ClinicWideReport()
    {
        await using var db = new ClinicDbContext(options);
        db.ScopeTo(SiteScope.Everything);
        var rows = await ClinicAdherence.BelowAsync(db, SiteScope.Everything, 0.8m, null, BenchClinic.NowUtc, 60, CancellationToken.None);
        return rows.Count;
    }

    private sealed class ClinicReportConfig() : InProcessConfig(RunStrategy.Monitoring, 5);
}

/// <summary>AdherenceCalculator.Calculate alone, for one esketamine-standard plan of the seeded clinic (24 due dates, its closed sessions).</summary>
[Config(typeof(CalculatorConfig))]
[MemoryDiagnoser]
public class CalculatorBenchmarks
{
    private AdherenceInput input = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var db = new ClinicDbContext(BenchClinic.EnsureSeeded());
        db.ScopeTo(SiteScope.Everything);
        var plan = db.Plans.AsNoTracking()
            .Where(p => p.Template == PlanTemplates.EsketamineStandard)
            .OrderBy(p => p.Id)
            .First();
        var sessions = PlanAdherence.SessionsOfPlanAsync(db, plan.Id, CancellationToken.None).GetAwaiter().GetResult();
        input = PlanAdherence.Input(plan, sessions, ClinicTime.LocalDate(BenchClinic.NowUtc, plan.TimeZone), 60);
    }

    [Benchmark(Description = "AdherenceCalculator.Calculate, one plan")]
    public AdherenceReport CalculateOnePlan() => AdherenceCalculator.Calculate(input);

    private sealed class CalculatorConfig() : InProcessConfig(RunStrategy.Throughput, 5);
}
