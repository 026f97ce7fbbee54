using ClinicTracker.Core.Common;

namespace ClinicTracker.Core.Dosing;

/// <summary>
/// Controlled-substance waste: drug drawn up but not given, destroyed in front of a witness who is a
/// different clinician than the one recording (domain.md §8; ketamine is DEA Schedule III).
/// </summary>
public sealed class WasteEntry : Sites.ISessionLinked
{
    private WasteEntry()
    {
    }

    public Guid Id { get; private set; }

    public Guid SessionId { get; private set; }

    public Guid PatientId { get; private set; }

    public Medication Medication { get; private set; }

    public long AmountUg { get; private set; }

    public DateTime WastedAt { get; private set; }

    public string? LotNumber { get; private set; }

    /// <summary>The stock lot the waste came from (domain.md §12); null when none is named or the site holds no such lot.</summary>
    public Guid? LotId { get; private set; }

    public string RecordedBy { get; private set; } = "";

    public string WitnessUserName { get; private set; } = "";

    public DateTime RecordedAt { get; private set; }

    public decimal AmountMg => Amounts.ToMg(AmountUg);

    public static WasteEntry Record(Guid sessionId, Guid patientId, Medication medication, decimal amountMg, DateTime wastedAtUtc,
        string? lotNumber, Guid? lotId, string witnessUserName, string userName, DateTime nowUtc) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            SessionId = sessionId,
            PatientId = patientId,
            Medication = medication,
            AmountUg = Amounts.ToUg(amountMg),
            WastedAt = wastedAtUtc,
            LotNumber = string.IsNullOrWhiteSpace(lotNumber) ? null : lotNumber.Trim(),
            LotId = lotId,
            WitnessUserName = witnessUserName,
            RecordedBy = userName,
            RecordedAt = nowUtc,
        };
}
