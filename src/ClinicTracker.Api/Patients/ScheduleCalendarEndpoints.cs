using System.Text;
using ClinicTracker.Api.Auditing;
using ClinicTracker.Api.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Patients;

/// <summary>A patient's upcoming sessions as an iCalendar file or subscription (docs/api.md, "Schedule as a calendar"; ADR 0026).</summary>
public static class ScheduleCalendarEndpoints
{
    public const string FileName = "clinic-appointments.ics";

    public static RouteGroupBuilder MapScheduleCalendar(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/patients/{patientId:guid}").WithTags("Patients");
        // api-outline.md: front-desk, nurse, prescriber — the staff who hand a patient their appointments. Not the
        // integrator (a system client reads the same sessions as JSON from the session list) nor the admin (no
        // patient record, domain.md §9).
        group.MapGet("/schedule.ics", GetScheduleCalendar).WithName(nameof(GetScheduleCalendar))
            .WithSummary("The patient's upcoming sessions as an iCalendar (RFC 5545) file to import or subscribe to.")
            .WithDescription(
                "One VEVENT per session that has not ended yet, UID `<sessionId>@clinictracker`, times in the clinic's zone with its " +
                "VTIMEZONE. Sessions that will not take place (cancelled, no-show, held, or no longer possible) stay in the feed with " +
                "STATUS:CANCELLED so subscribed calendars drop them; completed and past sessions are left out. The events say only " +
                "\"Clinic appointment\" and where: no medication, route, dose, plan, diagnosis or name (the file may be forwarded or " +
                "shown on a lock screen). Sent with Cache-Control: no-store.")
            .RequireAuthorization(Policies.Scheduler)
            .WithMetadata(new ProducesResponseTypeAttribute(typeof(string), StatusCodes.Status200OK, ScheduleCalendar.MediaType)
            {
                Description = "The calendar (text/calendar; charset=utf-8), named " + FileName + ".",
            })
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    /// <param name="patientId">The patient's id.</param>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetScheduleCalendar(
        Guid patientId, ClinicDbContext db, TimeProvider clock, IOptions<MonitoringOptions> monitoring, HttpContext http, CancellationToken ct)
    {
        // Another site's patient is filtered out like an unknown one (domain.md §14: elsewhere it does not exist).
        var patient = await db.Patients.AsNoTracking().Where(p => p.Id == patientId)
            .Select(p => new { p.HomeSiteId, Archived = p.ArchivedAt != null }).FirstOrDefaultAsync(ct);
        if (patient is null)
        {
            return Problems.NotFound("patient", patientId);
        }

        AuditTrail.NoteRecord(http, patientId, patient.HomeSiteId);
        var now = clock.GetUtcNow().UtcDateTime;
        var length = ScheduleCalendar.VisitLength(monitoring.Value.EsketamineObservationMinutes);
        // Upcoming: not yet ended by the schedule (an appointment under way stays on the calendar until its end).
        var startedAfter = now - length;
        var rows = await (
                from s in db.Sessions.AsNoTracking()
                where s.PatientId == patientId && s.Status != SessionStatus.Completed && s.ScheduledAt > startedAfter
                join plan in db.Plans on s.PlanId equals plan.Id
                join site in db.Sites on s.SiteId equals site.Id
                orderby s.ScheduledAt, s.Id
                select new
                {
                    s.Id, s.ScheduledAt, s.Status, s.Version, PlanStatus = plan.Status, plan.TimeZone, SiteZone = site.TimeZone,
                    site.Name, site.Address,
                })
            .ToListAsync(ct);

        var visits = rows.Select(r =>
        {
            var (cancelled, sequence) = ScheduleCalendar.EventStateOf(r.Status, r.Version, patient.Archived, r.PlanStatus);
            // Clinic-local times use the plan's zone, which is its site's unless the plan names its own (domain.md §6, §14).
            var zone = ClinicTime.IsKnownZone(r.TimeZone) ? r.TimeZone : r.SiteZone;
            return new CalendarVisit(r.Id, DateTime.SpecifyKind(r.ScheduledAt, DateTimeKind.Utc), zone, cancelled, sequence, r.Name, r.Address);
        }).ToList();

        // Patient data: no shared cache may keep it (docs/security.md).
        http.Response.Headers.CacheControl = "no-store";
        var text = ScheduleCalendar.Write(visits, length, now);
        return TypedResults.File(Encoding.UTF8.GetBytes(text), $"{ScheduleCalendar.MediaType}; charset=utf-8", FileName);
    }
}
