using ClinicTracker.Core.Clinicians;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Sessions;
using ClinicTracker.Core.Stock;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Core.Dosing;

/// <summary>What a clinician states about drug drawn up and not given.</summary>
public sealed record WasteFacts(decimal AmountMg, DateTime WastedAt, string? LotNumber, string WitnessUserName);

/// <summary>
/// Records controlled-substance waste (domain.md §8; ketamine and esketamine are DEA Schedule III) after the
/// rules that need the record: the session had drug prepared, the patient is not archived, the time is not
/// before check-in, the witness is independent, and the lot (domain.md §12) holds the amount. Returns the refusal instead of throwing; the caller saves.
/// </summary>
public static class WasteRecorder
{
    public static async Task<(WasteEntry? Waste, RuleViolation? Refusal)> RecordAsync(
        ClinicDbContext db, StockOptions stock, TreatmentSession session, WasteFacts facts, string userName, DateTime nowUtc, CancellationToken ct)
    {
        if (session.Status is not (SessionStatus.InProgress or SessionStatus.Completed or SessionStatus.CheckedIn or SessionStatus.Held))
        {
            return (null, RuleViolation.Conflict("session.no-waste", "Waste is recorded on sessions where drug was prepared.",
                $"Session {session.Id} is {EnumNames.Kebab(session.Status)}."));
        }

        var patient = await db.Patients.AsNoTracking().FirstAsync(p => p.Id == session.PatientId, ct);
        if (patient.RefuseIfArchived("waste records") is { } archived)
        {
            return (null, archived);
        }

        if (await WitnessRefusalAsync(db, session.Id, facts.WitnessUserName, userName, ct) is { } witness)
        {
            return (null, witness);
        }

        if (facts.WastedAt < session.CheckedInAt)
        {
            return (null, RuleViolation.Unprocessable("waste.time-inconsistent", "Waste is before check-in.",
                "Drug cannot be wasted before the session's check-in."));
        }

        // domain.md §12: waste leaves the lot it was drawn from.
        var (lotId, stockRefusal) = await StockUse.LotForAsync(db, stock,
            new StockDraw(session.SiteId, session.Medication, Route: null, facts.LotNumber, Amounts.ToUg(facts.AmountMg), UsedOn: null), ct);
        if (stockRefusal is not null)
        {
            return (null, stockRefusal);
        }

        var waste = WasteEntry.Record(session.Id, session.PatientId, session.Medication, facts.AmountMg, facts.WastedAt,
            facts.LotNumber, lotId, facts.WitnessUserName.Trim(), userName, nowUtc);
        db.Waste.Add(waste);
        return (waste, null);
    }

    /// <summary>
    /// domain.md §8: the witness is an active nurse or prescriber of the register who is neither the clinician
    /// recording the waste nor anyone who administered a standing dose of that session (who gave the drug cannot
    /// independently attest to what was left of it). A voided dose was not given, so its recorder may witness.
    /// </summary>
    public static async Task<RuleViolation?> WitnessRefusalAsync(
        ClinicDbContext db, Guid sessionId, string witnessUserName, string recorderUserName, CancellationToken ct)
    {
        if (await Witness.RefusalAsync(db, witnessUserName, recorderUserName, WitnessInvalid, "waste", ct) is { } refused)
        {
            return refused;
        }

        var witness = SearchText.Normalize(witnessUserName);
        var administrators = await db.Doses.AsNoTracking()
            .Where(d => d.SessionId == sessionId && d.Status == DoseStatus.Completed).Select(d => d.RecordedBy).Distinct().ToListAsync(ct);
        return administrators.Any(a => SearchText.Normalize(a) == witness)
            ? Witness.Invalid(WitnessInvalid, "The witness administered a dose of this session; someone who gave none must witness the waste.")
            : null;
    }

    private const string WitnessInvalid = "waste.witness-invalid";
}
