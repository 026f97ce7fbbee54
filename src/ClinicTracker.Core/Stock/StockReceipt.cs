using ClinicTracker.Core.Common;

namespace ClinicTracker.Core.Stock;

/// <summary>
/// Controlled substance received into a lot (domain.md §12; 21 CFR 1304.22(a)(2)(iv): the number of units received,
/// the date and the supplier). Schedule III needs no DEA Form 222; the supplier's invoice is the receiving record,
/// so its number is kept. Received by the recording clinician and counted in by a second one. Never edited.
/// </summary>
public sealed class StockReceipt : ISiteLinked
{
    private StockReceipt()
    {
    }

    public Guid Id { get; private set; }

    public Guid LotId { get; private set; }

    public Guid SiteId { get; private set; }

    public long QuantityUg { get; private set; }

    public DateTime ReceivedAt { get; private set; }

    public string Supplier { get; private set; } = "";

    public string InvoiceNumber { get; private set; } = "";

    public string ReceivedBy { get; private set; } = "";

    public string WitnessUserName { get; private set; } = "";

    public DateTime RecordedAt { get; private set; }

    public decimal QuantityMg => Amounts.ToMg(QuantityUg);

    public static StockReceipt Record(StockLot lot, decimal quantityMg, DateTime receivedAtUtc, string supplier, string invoiceNumber,
        string witnessUserName, string userName, DateTime nowUtc) => new()
        {
            Id = Guid.CreateVersion7(),
            LotId = lot.Id,
            SiteId = lot.SiteId,
            QuantityUg = Amounts.ToUg(quantityMg),
            ReceivedAt = receivedAtUtc,
            Supplier = supplier.Trim(),
            InvoiceNumber = invoiceNumber.Trim(),
            ReceivedBy = userName,
            WitnessUserName = witnessUserName.Trim(),
            RecordedAt = nowUtc,
        };
}

/// <summary>How stock left the clinic other than by administration or waste.</summary>
public enum DisposalKind
{
    /// <summary>Returned to the supplier or sent to a reverse distributor.</summary>
    Returned,

    /// <summary>Destroyed on site (expired, damaged), in front of a witness.</summary>
    Destroyed,
}

/// <summary>Stock returned or destroyed, with a witness (domain.md §12). Never edited.</summary>
public sealed class StockDisposal : ISiteLinked
{
    private StockDisposal()
    {
    }

    public Guid Id { get; private set; }

    public Guid LotId { get; private set; }

    public Guid SiteId { get; private set; }

    public DisposalKind Kind { get; private set; }

    public long AmountUg { get; private set; }

    public DateTime DisposedAt { get; private set; }

    public string Reason { get; private set; } = "";

    /// <summary>The return authorisation, reverse distributor's invoice or destruction record (DEA Form 41) number, if any.</summary>
    public string? Reference { get; private set; }

    public string RecordedBy { get; private set; } = "";

    public string WitnessUserName { get; private set; } = "";

    public DateTime RecordedAt { get; private set; }

    public decimal AmountMg => Amounts.ToMg(AmountUg);

    public static StockDisposal Record(StockLot lot, DisposalKind kind, decimal amountMg, DateTime disposedAtUtc, string reason, string? reference,
        string witnessUserName, string userName, DateTime nowUtc) => new()
        {
            Id = Guid.CreateVersion7(),
            LotId = lot.Id,
            SiteId = lot.SiteId,
            Kind = kind,
            AmountUg = Amounts.ToUg(amountMg),
            DisposedAt = disposedAtUtc,
            Reason = reason.Trim(),
            Reference = string.IsNullOrWhiteSpace(reference) ? null : reference.Trim(),
            WitnessUserName = witnessUserName.Trim(),
            RecordedBy = userName,
            RecordedAt = nowUtc,
        };
}
