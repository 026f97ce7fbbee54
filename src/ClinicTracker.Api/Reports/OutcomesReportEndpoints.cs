using ClinicTracker.Api.Common;
using ClinicTracker.Api.Sites;
using ClinicTracker.Core.Adherence;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Outcomes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ClinicTracker.Api.Reports;

/// <summary>The clinic outcomes report (domain.md §13; docs/outcomes.md): JSON, or the same figures as an SVG chart.</summary>
public static class OutcomesReportEndpoints
{
    public const string MedicationRouteCode = "report.medication-route-not-allowed";

    private const string DateMessage = "Send a date as YYYY-MM-DD, e.g. 2026-01-01.";

    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/reports/outcomes", GetOutcomesReport).WithName(nameof(GetOutcomesReport)).WithTags("Reports")
            .WithSummary("Response and remission (PHQ-9, MADRS) of the plans of your sites that started from `from` to `to`, by route, dose band and adherence band. `Accept: image/svg+xml` returns the same figures as a chart.")
            .RequireAuthorization(Policies.ReportReader)
            // Content negotiation on one route: the JSON (from the union's Ok<T>) and the chart.
            .WithAlternativeContent(StatusCodes.Status200OK, OutcomesChart.MediaType,
                "the same figures as a self-contained SVG bar chart (no script, no external reference).")
            .ProducesValidationProblem()
            .ProducesProblems(StatusCodes.Status403Forbidden, "site.not-assigned")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, MedicationRouteCode);
        return app;
    }

    /// <param name="from">Only plans that started on or after this date (yyyy-MM-dd, the plan's clinic-local start date); no lower bound when absent.</param>
    /// <param name="to">Only plans that started on or before this date (yyyy-MM-dd); no upper bound when absent. Must not be before from.</param>
    /// <param name="medication">Only plans of this medication: `ketamine` or `esketamine`.</param>
    /// <param name="route">Only plans by this route: `intravenous`, `intranasal`, `oral` or `sublingual`.</param>
    /// <param name="siteId">Only plans of this site (one of yours); all your sites when absent.</param>
    private static async Task<Results<Ok<OutcomesReportResponse>, ContentHttpResult, ValidationProblem, ProblemHttpResult>> GetOutcomesReport(
        ReportingDatabase reporting, QueryValues values, TimeProvider clock, IOptions<OutcomeOptions> outcomeOptions,
        IOptions<AdherenceOptions> adherenceOptions, HttpContext http, CancellationToken ct,
        [QueryFormat("date")] string? from = null, [QueryFormat("date")] string? to = null,
        [QueryEnum(typeof(Medication))] string? medication = null, [QueryEnum(typeof(AdministrationRoute))] string? route = null,
        Guid? siteId = null)
    {
        // domain.md §14: clinic-wide reports are per site; by default the caller's sites, or one of them by siteId.
        var (sites, notAssigned) = SiteAccess.ListScope(reporting.Context, siteId);
        if (sites is null)
        {
            return notAssigned!;
        }

        if (!QueryValues.TryDate(from, out var fromDate))
        {
            return Problems.Validation("from", DateMessage);
        }

        if (!QueryValues.TryDate(to, out var toDate))
        {
            return Problems.Validation("to", DateMessage);
        }

        if (fromDate is { } f && toDate is { } t && f > t)
        {
            return Problems.Validation("to", "to must be on or after from.");
        }

        if (!values.TryEnum<Medication>(medication, out var medicationFilter))
        {
            return Problems.Validation("medication", "medication must be ketamine or esketamine.");
        }

        if (!values.TryEnum<AdministrationRoute>(route, out var routeFilter))
        {
            return Problems.Validation("route", "route must be one of intravenous, intranasal, oral, sublingual.");
        }

        // domain.md §2: esketamine is only given intranasally; such a filter could only ever report nothing.
        if (medicationFilter is { } m && routeFilter is { } r && !MedicationRoutes.IsAllowed(m, r))
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, MedicationRouteCode,
                "No plan can have this medication and route.", "Esketamine is only given intranasally (domain.md §2).");
        }

        // domain.md §14: clinic-wide reports are per site — the context's site filters scope every query to the
        // caller's sites. A heavy read that may lag a few seconds: the reporting database (ADR 0017).
        var filter = new ClinicOutcomeFilter(fromDate, toDate, medicationFilter, routeFilter, siteId);
        var plans = await ClinicOutcomeQuery.LoadAsync(reporting.Context, filter, clock.GetUtcNow().UtcDateTime,
            adherenceOptions.Value.PersistenceGapDays, ct);
        var report = OutcomesReportResponse.Of(filter, outcomeOptions.Value, ClinicOutcomeCalculator.Calculate(outcomeOptions.Value, plans));

        http.Response.Headers.Vary = HeaderNames.Accept;
        return ContentNegotiation.Prefers(http.Request, OutcomesChart.MediaType)
            ? TypedResults.Text(OutcomesChart.Render(report), OutcomesChart.MediaType)
            : TypedResults.Ok(report);
    }
}
