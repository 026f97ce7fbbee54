using ClinicTracker.Core.Data;

namespace ClinicTracker.Core.Webhooks;

/// <summary>The one line a handler adds to report a change to integrators (ADR 0021).</summary>
public static class Outbox
{
    /// <summary>
    /// Adds <paramref name="e"/> to the context: it is saved with the handler's own changes, in the request's one
    /// transaction (RecordKeeping), so it exists exactly when they were committed.
    /// </summary>
    public static void Add(ClinicDbContext db, OutboxEvent e)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.OutboxEvents.Add(e);
    }
}
