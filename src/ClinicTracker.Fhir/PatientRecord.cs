using ClinicTracker.Core.Data;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Outcomes;
using ClinicTracker.Core.Patients;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using Microsoft.EntityFrameworkCore;
using CoreObservation = ClinicTracker.Core.Monitoring.Observation;

namespace ClinicTracker.Fhir;

/// <summary>Everything the record holds about one patient that FHIR exports (waste is not among it: docs/fhir.md).</summary>
public sealed record PatientRecord(
    Patient Patient,
    IReadOnlyList<TreatmentPlan> Plans,
    IReadOnlyList<TreatmentSession> Sessions,
    IReadOnlyList<DoseEntry> Doses,
    IReadOnlyList<CoreObservation> Observations,
    IReadOnlyList<AdverseEvent> AdverseEvents,
    IReadOnlyList<Assessment> Assessments)
{
    /// <summary>
    /// The records of <paramref name="patientIds"/> visible through <paramref name="db"/>'s site filters, in the order
    /// asked, each list ordered by time then id; seven queries whatever the number of patients.
    /// </summary>
    public static async Task<IReadOnlyList<PatientRecord>> LoadAsync(ClinicDbContext db, IReadOnlyCollection<Guid> patientIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(patientIds);
        if (patientIds.Count == 0)
        {
            return [];
        }

        var ids = patientIds.ToList();
        var patients = await db.Patients.AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(ct);
        var plans = await db.Plans.AsNoTracking().Where(p => ids.Contains(p.PatientId)).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).ToListAsync(ct);
        var sessions = await db.Sessions.AsNoTracking().Where(s => ids.Contains(s.PatientId)).OrderBy(s => s.ScheduledAt).ThenBy(s => s.Id).ToListAsync(ct);
        var doses = await db.Doses.AsNoTracking().Where(d => ids.Contains(d.PatientId)).OrderBy(d => d.AdministeredAt).ThenBy(d => d.Id).ToListAsync(ct);
        var observations = await db.Observations.AsNoTracking().Where(o => ids.Contains(o.PatientId)).OrderBy(o => o.ObservedAt).ThenBy(o => o.Id).ToListAsync(ct);
        var events = await db.AdverseEvents.AsNoTracking().Where(a => ids.Contains(a.PatientId)).OrderBy(a => a.OnsetAt).ThenBy(a => a.Id).ToListAsync(ct);
        var assessments = await db.Assessments.AsNoTracking().Where(a => ids.Contains(a.PatientId)).OrderBy(a => a.AssessedAt).ThenBy(a => a.Id).ToListAsync(ct);

        var byId = patients.ToDictionary(p => p.Id);
        var plansOf = plans.ToLookup(p => p.PatientId);
        var sessionsOf = sessions.ToLookup(s => s.PatientId);
        var dosesOf = doses.ToLookup(d => d.PatientId);
        var observationsOf = observations.ToLookup(o => o.PatientId);
        var eventsOf = events.ToLookup(a => a.PatientId);
        var assessmentsOf = assessments.ToLookup(a => a.PatientId);
        return [.. ids.Where(byId.ContainsKey).Select(id => new PatientRecord(
            byId[id], [.. plansOf[id]], [.. sessionsOf[id]], [.. dosesOf[id]], [.. observationsOf[id]], [.. eventsOf[id]], [.. assessmentsOf[id]]))];
    }
}
