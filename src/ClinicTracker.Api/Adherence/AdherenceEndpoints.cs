using System.Globalization;
using ClinicTracker.Api.Auditing;
using ClinicTracker.Api.Common;
using ClinicTracker.Api.Sites;
using ClinicTracker.Core.Adherence;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Plans;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Adherence;

public static class AdherenceEndpoints
{
    private const string AsOfMessage = "asOf must be a clinic-local date as YYYY-MM-DD.";

    public static IEndpointRouteBuilder MapAdherence(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Adherence");
        group.MapGet("/plans/{planId:guid}/adherence", GetPlanAdherence).WithName(nameof(GetPlanAdherence))
            .WithSummary("A plan's adherence to its schedule as of a clinic-local date (asOf, default today in the plan's zone).")
            .RequireAuthorization(Policies.ClinicalReader)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/reports/adherence", ListLowAdherence).WithName(nameof(ListLowAdherence))
            .WithSummary("Active plans of one site (siteId) or of all your sites (the default) whose adherence rate is below `below` (0–1, default 0.8), worst first; asOf defaults to today in each plan's zone.")
            .RequireAuthorization(Policies.ReportReader)
            .ProducesValidationProblem()
            .ProducesProblems(StatusCodes.Status403Forbidden, "site.not-assigned");
        return app;
    }

    /// <param name="planId">The plan's id.</param>
    /// <param name="asOf">The day the report is made for (yyyy-MM-dd, in the plan's zone); today when absent.</param>
    private static async Task<Results<Ok<PlanAdherenceResponse>, ValidationProblem, ProblemHttpResult>> GetPlanAdherence(
        Guid planId, ClinicDbContext db, TimeProvider clock, IOptions<AdherenceOptions> options, HttpContext http, CancellationToken ct,
        [QueryFormat("date")] string? asOf = null)
    {
        if (!QueryValues.TryDate(asOf, out var requested))
        {
            return Problems.Validation("asOf", AsOfMessage);
        }

        var plan = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return Problems.NotFound("plan", planId);
        }

        AuditTrail.NoteRecord(http, plan.PatientId, plan.SiteId);

        // domain.md §10: D is clinic-local; by default today in the plan's own time zone.
        var date = requested ?? ClinicTime.Today(clock, plan.TimeZone);
        var sessions = await PlanAdherence.SessionsOfPlanAsync(db, planId, ct);
        var report = PlanAdherence.Calculate(plan, sessions, date, options.Value.PersistenceGapDays);
        return TypedResults.Ok(PlanAdherenceResponse.From(plan, date, report));
    }

    /// <param name="below">Lists plans whose adherence rate is below this fraction, 0–1 (default Adherence:DefaultBelowThreshold, 0.8).</param>
    /// <param name="asOf">The day the report is made for (yyyy-MM-dd); today in each plan's zone when absent.</param>
    /// <param name="siteId">Only plans of this site (one of yours); all your sites when absent.</param>
    private static async Task<Results<Ok<Page<AdherenceReportItem>>, ValidationProblem, ProblemHttpResult>> ListLowAdherence(
        ClinicDbContext db, ReportingDatabase reporting, TimeProvider clock, IOptions<AdherenceOptions> options, CancellationToken ct,
        decimal? below = null, [QueryFormat("date")] string? asOf = null, Guid? siteId = null, int? limit = null, string? cursor = null)
    {
        // domain.md §14: clinic-wide reports are per site; by default the caller's sites, or one of them by siteId.
        var (sites, notAssigned) = SiteAccess.ListScope(db, siteId);
        if (sites is null)
        {
            return notAssigned!;
        }

        if (Paging.TryRead(limit, cursor, out var pageSize, out var position) is { } invalid)
        {
            return invalid;
        }

        // domain.md §10: the clinic-wide report lists active plans below a threshold (*default* 0.8, configurable).
        var threshold = below ?? options.Value.DefaultBelowThreshold;
        if (threshold is < 0m or > 1m)
        {
            return Problems.Validation("below", "below must be an adherence rate between 0 and 1, e.g. 0.8.");
        }

        if (!QueryValues.TryDate(asOf, out var date))
        {
            return Problems.Validation("asOf", AsOfMessage);
        }

        ReportCursor? after = null;
        if (position is not null && !ReportCursor.TryParse(position, out after))
        {
            return Problems.Validation("cursor", "cursor is not one this API issued.");
        }

        // Without asOf every plan is reported as of today in its own zone; later pages reuse the first page's
        // instant so one report never straddles a midnight.
        var nowUtc = after?.NowUtc ?? clock.GetUtcNow().UtcDateTime;
        var page = await ClinicAdherence.PageAsync(reporting.Context, sites, threshold, date, nowUtc, options.Value.PersistenceGapDays,
            after?.Position, pageSize, ct);

        // Keyset over the report's own order (rate asc, missed desc, plan id): rows that changed between two
        // pages can move, but no row is returned twice because of an insertion before the position.
        var next = page.Count > pageSize ? ReportCursor.Encode(page[pageSize - 1], nowUtc) : null;
        return TypedResults.Ok(new Page<AdherenceReportItem>([.. page.Take(pageSize).Select(AdherenceReportItem.From)], next));
    }

    /// <summary>The report's keyset position (last row's rate, missed count and plan id) and the instant of its first page.</summary>
    private sealed record ReportCursor(AdherenceReportPosition Position, DateTime NowUtc)
    {
        public static string Encode(AdherenceReportLine last, DateTime nowUtc) => Paging.Encode(string.Join(
            '|', last.AdherenceRate.ToString(CultureInfo.InvariantCulture),
            last.Missed.ToString(CultureInfo.InvariantCulture), last.PlanId.ToString("N"),
            nowUtc.Ticks.ToString(CultureInfo.InvariantCulture)));

        public static bool TryParse(string position, out ReportCursor? cursor)
        {
            cursor = null;
            var parts = position.Split('|');
            if (parts.Length != 4
                || !decimal.TryParse(parts[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate)
                || rate > 1m
                || AdherenceFigures.Scaled(rate) is not { } scaled || scaled != rate * AdherenceSummary.RateScale
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var missed)
                || !Guid.TryParseExact(parts[2], "N", out var planId)
                || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks > DateTime.MaxValue.Ticks)
            {
                return false;
            }

            cursor = new ReportCursor(new AdherenceReportPosition(scaled, missed, planId), new DateTime(ticks, DateTimeKind.Utc));
            return true;
        }
    }
}
