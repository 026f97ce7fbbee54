using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Core.Data;

/// <summary>
/// Serializes the writes whose rules read the rest of a patient's record — a dose and its 24-hour limits
/// (domain.md §3), a replacement of a voided dose — so two transactions cannot each decide on a record without
/// the other's write (ADR 0013). The one provider-specific statement of the dose rules lives here.
/// </summary>
public static class PatientWriteLock
{
    /// <summary>
    /// Holds the patient's lock until the caller's open transaction ends. PostgreSQL: a row lock on the patient
    /// (<c>FOR NO KEY UPDATE</c>, so rows that merely reference the patient are still written freely). SQLite:
    /// nothing to do — the write transaction is BEGIN IMMEDIATE and already holds the file's only writer lock.
    /// </summary>
    public static async Task HoldAsync(ClinicDbContext db, Guid patientId, CancellationToken ct)
    {
        if (db.OnPostgres)
        {
            await db.Database.ExecuteSqlAsync($"""SELECT 1 FROM patients WHERE "Id" = {patientId} FOR NO KEY UPDATE""", ct);
        }
    }
}
