using ClinicTracker.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Core.Patients;

/// <summary>
/// Keeps <see cref="PatientSearchTerm"/> rows in step with the patients they find. <see cref="ClinicDbContext"/> calls
/// it at every save, so a registration or a change of name or MRN writes its terms in the same SaveChanges (and so
/// the same transaction) whatever the handler; <see cref="BackfillAsync"/> gives terms to patients stored before
/// the table existed.
/// </summary>
public static class PatientSearchIndex
{
    private static readonly string[] SearchedProperties = [nameof(Patient.MrnNormalized), nameof(Patient.FamilyName), nameof(Patient.GivenName)];

    /// <summary>Adds the terms of new patients and replaces those of patients whose MRN or names changed (tracked changes only).</summary>
    internal static async Task RefreshAsync(ClinicDbContext db, CancellationToken ct)
    {
        foreach (var entry in db.ChangeTracker.Entries<Patient>().ToList())
        {
            if (entry.State == EntityState.Added)
            {
                Replace(db, entry.Entity, []);
            }
            else if (entry.State == EntityState.Modified && SearchedProperties.Any(p => entry.Property(p).IsModified))
            {
                // Patients are never deleted; their terms are read with the filters off, like the patient row itself.
                var stored = await db.Set<PatientSearchTerm>().IgnoreQueryFilters().Where(t => t.PatientId == entry.Entity.Id).ToListAsync(ct);
                Replace(db, entry.Entity, stored);
            }
        }
    }

    /// <summary>The synchronous twin of <see cref="RefreshAsync"/>, for SaveChanges.</summary>
    internal static void Refresh(ClinicDbContext db)
    {
        foreach (var entry in db.ChangeTracker.Entries<Patient>().ToList())
        {
            if (entry.State == EntityState.Added)
            {
                Replace(db, entry.Entity, []);
            }
            else if (entry.State == EntityState.Modified && SearchedProperties.Any(p => entry.Property(p).IsModified))
            {
                Replace(db, entry.Entity, [.. db.Set<PatientSearchTerm>().IgnoreQueryFilters().Where(t => t.PatientId == entry.Entity.Id)]);
            }
        }
    }

    /// <summary>
    /// Gives every patient without terms its terms, <paramref name="batchSize"/> patients per save, and returns how many
    /// it did. Every patient has at least its MRN term, so "no terms" means "stored before the table existed" (or by
    /// an instance of an older version during a rolling upgrade): running it again finds nothing to do. Two instances
    /// starting together may race on one batch; the loser's save breaks the unique index and it looks again.
    /// </summary>
    public static async Task<int> BackfillAsync(ClinicDbContext db, Func<DbUpdateException, bool> isUniqueViolation, int batchSize = 500, CancellationToken ct = default)
    {
        var (done, races) = (0, 0);
        while (true)
        {
            var patients = await db.Patients.IgnoreQueryFilters().AsNoTracking()
                .Where(p => !db.Set<PatientSearchTerm>().IgnoreQueryFilters().Any(t => t.PatientId == p.Id))
                .OrderBy(p => p.Id).Take(batchSize)
                .Select(p => new { p.Id, p.MrnNormalized, p.FamilyName, p.GivenName })
                .ToListAsync(ct);
            if (patients.Count == 0)
            {
                return done;
            }

            foreach (var p in patients)
            {
                db.AddRange(PatientSearchTerm.Of(p.MrnNormalized, p.FamilyName, p.GivenName).Select(term => PatientSearchTerm.For(p.Id, term)));
            }

            try
            {
                await db.SaveChangesAsync(ct);
                done += patients.Count;
            }
            catch (DbUpdateException e) when (isUniqueViolation(e) && ++races < 10)
            {
                // Another instance filled some of these first: drop ours and look again.
            }

            db.ChangeTracker.Clear();
        }
    }

    private static void Replace(ClinicDbContext db, Patient patient, IReadOnlyList<PatientSearchTerm> stored)
    {
        var wanted = PatientSearchTerm.Of(patient.MrnNormalized, patient.FamilyName, patient.GivenName);
        foreach (var term in stored.Where(t => !wanted.Contains(t.Term)))
        {
            db.Remove(term);
        }

        var kept = stored.Select(t => t.Term).ToHashSet(StringComparer.Ordinal);
        db.AddRange(wanted.Where(t => !kept.Contains(t)).Select(t => PatientSearchTerm.For(patient.Id, t)));
    }
}
