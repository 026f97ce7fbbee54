using ClinicTracker.Core.Common;

namespace ClinicTracker.Core.Stock;

/// <summary>
/// A physical count of a lot by two clinicians (domain.md §12; 21 CFR 1304.11: an exact count of Schedule III
/// stock, or an estimate of an opened container), next to the balance the ledger gave for the same instant. Never
/// edited; when the two differ, the count opens a <see cref="StockDiscrepancy"/>.
/// </summary>
public sealed class StockCount : ISiteLinked
{
    private StockCount()
    {
    }

    public Guid Id { get; private set; }

    public Guid LotId { get; private set; }

    public Guid SiteId { get; private set; }

    public DateTime CountedAt { get; private set; }

    public long CountedUg { get; private set; }

    /// <summary>The ledger's balance of the lot at <see cref="CountedAt"/> when the count was recorded.</summary>
    public long ExpectedUg { get; private set; }

    public string? Note { get; private set; }

    public string CountedBy { get; private set; } = "";

    public string WitnessUserName { get; private set; } = "";

    public DateTime RecordedAt { get; private set; }

    public decimal CountedMg => Amounts.ToMg(CountedUg);

    public decimal ExpectedMg => Amounts.ToMg(ExpectedUg);

    /// <summary>Counted − expected: negative when stock is missing.</summary>
    public long DifferenceUg => CountedUg - ExpectedUg;

    public static StockCount Record(StockLot lot, decimal countedMg, long expectedUg, DateTime countedAtUtc, string? note,
        string witnessUserName, string userName, DateTime nowUtc) => new()
        {
            Id = Guid.CreateVersion7(),
            LotId = lot.Id,
            SiteId = lot.SiteId,
            CountedAt = countedAtUtc,
            CountedUg = Amounts.ToUg(countedMg),
            ExpectedUg = expectedUg,
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
            WitnessUserName = witnessUserName.Trim(),
            CountedBy = userName,
            RecordedAt = nowUtc,
        };
}

/// <summary>How a prescriber closed a discrepancy.</summary>
public enum DiscrepancyResolution
{
    /// <summary>The stock is truly more or less than recorded (a loss, a breakage): the balance is adjusted to the count.</summary>
    Adjusted,

    /// <summary>The records were wrong and have been corrected (a dose voided and recorded against the right lot): no adjustment.</summary>
    RecordsCorrected,
}

/// <summary>
/// The difference a count found between the shelf and the ledger (domain.md §12). Open until a prescriber resolves it
/// with a reason; an <see cref="DiscrepancyResolution.Adjusted"/> resolution is the ledger's count adjustment, dated
/// when it was made. Significant losses are reported to the DEA on Form 106: the record says whether the clinic filed it.
/// </summary>
public sealed class StockDiscrepancy : ISiteLinked, IRecordedInOrder
{
    private StockDiscrepancy()
    {
    }

    public Guid Id { get; private set; }

    public Guid LotId { get; private set; }

    public Guid SiteId { get; private set; }

    public Guid CountId { get; private set; }

    /// <summary>Counted − expected at the count: negative when stock is missing.</summary>
    public long AmountUg { get; private set; }

    public DateTime OpenedAt { get; private set; }

    public DateTime? ResolvedAt { get; private set; }

    public string? ResolvedBy { get; private set; }

    public DiscrepancyResolution? Resolution { get; private set; }

    public string? ResolutionReason { get; private set; }

    /// <summary>Whether the clinic filed DEA Form 106 for this loss (the product records it; the clinic files the form).</summary>
    public bool? ReportedToDea { get; private set; }

    /// <summary>Concurrency token: two prescribers resolving at once cannot both succeed.</summary>
    public int Version { get; private set; }

    public decimal AmountMg => Amounts.ToMg(AmountUg);

    public bool IsOpen => ResolvedAt is null;

    /// <summary>The adjustment the resolution made to the ledger: the difference when adjusted, else nothing.</summary>
    public long AdjustmentUg => Resolution == DiscrepancyResolution.Adjusted ? AmountUg : 0;

    public static StockDiscrepancy Open(StockCount count, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(),
        LotId = count.LotId,
        SiteId = count.SiteId,
        CountId = count.Id,
        AmountUg = count.DifferenceUg,
        OpenedAt = nowUtc,
        Version = 1,
    };

    public RuleViolation? Resolve(DiscrepancyResolution resolution, string reason, bool? reportedToDea, string userName, DateTime nowUtc)
    {
        if (!IsOpen)
        {
            return RuleViolation.Conflict("stock.discrepancy-resolved", "The discrepancy is already resolved.",
                $"Discrepancy {Id} was resolved at {ResolvedAt:O}.");
        }

        Resolution = resolution;
        ResolutionReason = reason.Trim();
        ReportedToDea = reportedToDea;
        ResolvedBy = userName;
        ResolvedAt = nowUtc;
        Version++;
        return null;
    }
}
