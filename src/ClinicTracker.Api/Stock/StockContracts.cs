using System.ComponentModel.DataAnnotations;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Stock;

namespace ClinicTracker.Api.Stock;

/// <summary>
/// Controlled substance received (domain.md §12), recorded by the receiving clinician (the token) with a second
/// clinician who checked it in. The first receipt of a lot number at the site creates the lot; a later one adds to it
/// and must describe the same product.
/// </summary>
public sealed record RecordReceiptRequest
{
    /// <summary>The receiving site; required when you work at several sites, else your site.</summary>
    public Guid? SiteId { get; init; }

    /// <summary>ketamine or esketamine.</summary>
    [Required]
    public Medication? Medication { get; init; }

    /// <summary>How the product is presented; esketamine is the nasal-spray-device only.</summary>
    [Required]
    public StockForm? Form { get; init; }

    /// <summary>Concentration in mg/mL (vial, nasal-spray, oral-solution) or mg per unit (nasal-spray-device: 28, capsule, troche, sublingual-tablet); up to 3 decimals.</summary>
    [Required]
    public decimal? Strength { get; init; }

    /// <summary>The lot number as printed on the product, 1–64 characters.</summary>
    [Required]
    public string? LotNumber { get; init; }

    /// <summary>Last day of use (a label's "EXP 2027-06" is 2027-06-30); not before the day of receipt.</summary>
    [Required]
    public DateOnly? ExpiresOn { get; init; }

    /// <summary>Manufacturer or labeler (up to 200 characters).</summary>
    public string? Manufacturer { get; init; }

    /// <summary>Quantity received in mg (a whole number of units for unit forms), greater than 0, at most 2 decimals.</summary>
    [Required]
    public decimal? QuantityMg { get; init; }

    /// <summary>When it was received; not in the future.</summary>
    [Required]
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>The supplier (distributor or pharmacy), up to 200 characters.</summary>
    [Required]
    public string? Supplier { get; init; }

    /// <summary>The supplier's invoice number (the Schedule III receiving record; no DEA Form 222 is needed), up to 64 characters.</summary>
    [Required]
    public string? InvoiceNumber { get; init; }

    /// <summary>User name of the second clinician who checked the delivery in: an active nurse or prescriber other than you.</summary>
    [Required]
    public string? WitnessUserName { get; init; }
}

/// <summary>Stock returned to the supplier or destroyed, with a witness (domain.md §12).</summary>
public sealed record RecordDisposalRequest
{
    /// <summary>returned (to the supplier or a reverse distributor) or destroyed (on site).</summary>
    [Required]
    public DisposalKind? Kind { get; init; }

    /// <summary>Amount in mg, greater than 0, at most 2 decimals.</summary>
    [Required]
    public decimal? AmountMg { get; init; }

    /// <summary>When it left the stock; not in the future.</summary>
    [Required]
    public DateTimeOffset? DisposedAt { get; init; }

    /// <summary>Why (expired, damaged, recalled…), up to 1,000 characters.</summary>
    [Required]
    public string? Reason { get; init; }

    /// <summary>Return authorisation, reverse distributor's invoice or DEA Form 41 number, up to 100 characters.</summary>
    public string? Reference { get; init; }

    /// <summary>User name of the witness: an active nurse or prescriber other than you.</summary>
    [Required]
    public string? WitnessUserName { get; init; }
}

/// <summary>A physical count of a lot by two clinicians (domain.md §12).</summary>
public sealed record RecordCountRequest
{
    /// <summary>What is on the shelf, in mg (0 or more, at most 2 decimals).</summary>
    [Required]
    public decimal? CountedMg { get; init; }

    /// <summary>When it was counted; not in the future. The ledger's balance at this instant is what the count is compared with.</summary>
    [Required]
    public DateTimeOffset? CountedAt { get; init; }

    /// <summary>A note (up to 1,000 characters), e.g. how an opened vial was estimated.</summary>
    public string? Note { get; init; }

    /// <summary>User name of the second counter: an active nurse or prescriber other than you.</summary>
    [Required]
    public string? WitnessUserName { get; init; }
}

/// <summary>A prescriber's resolution of a count discrepancy (domain.md §12).</summary>
public sealed record ResolveDiscrepancyRequest
{
    /// <summary>adjusted (the stock truly differs: the balance is adjusted to the count) or records-corrected (the records were wrong and have been corrected: no adjustment).</summary>
    [Required]
    public DiscrepancyResolution? Resolution { get; init; }

    /// <summary>What was found, up to 1,000 characters.</summary>
    [Required]
    public string? Reason { get; init; }

    /// <summary>Whether the clinic filed DEA Form 106 for this loss (significant losses; the clinic files it).</summary>
    public bool? ReportedToDea { get; init; }
}

/// <summary>A lot with its balance.</summary>
/// <param name="Id">Lot id.</param>
/// <param name="SiteId">The site that holds it.</param>
/// <param name="Medication">Medication.</param>
/// <param name="Form">Form.</param>
/// <param name="Strength">Strength, in <paramref name="StrengthUnit"/>.</param>
/// <param name="StrengthUnit">mg/mL or mg/unit.</param>
/// <param name="LotNumber">Lot number as printed.</param>
/// <param name="ExpiresOn">Last day of use.</param>
/// <param name="Manufacturer">Manufacturer.</param>
/// <param name="BalanceMg">On hand per the ledger: received − standing doses − waste − disposals ± adjustments.</param>
/// <param name="Expired">Whether it is past its expiry today at the site.</param>
/// <param name="NegativeBalance">The ledger shows more used than received (possible only with Stock:Enforce off): a discrepancy to look into.</param>
/// <param name="OpenDiscrepancies">Count discrepancies not yet resolved.</param>
/// <param name="CreatedAt">When the first receipt created it.</param>
/// <param name="CreatedBy">Who recorded that receipt.</param>
public sealed record LotResponse(
    Guid Id, Guid SiteId, Medication Medication, StockForm Form, decimal Strength, string StrengthUnit, string LotNumber, DateOnly ExpiresOn,
    string? Manufacturer, decimal BalanceMg, bool Expired, bool NegativeBalance, int OpenDiscrepancies, DateTime CreatedAt, string CreatedBy)
{
    internal static LotResponse From(StockLot l, long balanceUg, DateOnly siteToday, int openDiscrepancies) => new(
        l.Id, l.SiteId, l.Medication, l.Form, l.Strength, StockForms.StrengthUnit(l.Form), l.LotNumber, l.ExpiresOn, l.Manufacturer,
        Amounts.ToMg(balanceUg), l.ExpiredOn(siteToday), balanceUg < 0, openDiscrepancies, l.CreatedAt, l.CreatedBy);
}

/// <summary>A receipt and the lot it went into.</summary>
/// <param name="Id">Receipt id.</param>
/// <param name="LotId">Lot id.</param>
/// <param name="SiteId">Site.</param>
/// <param name="QuantityMg">Quantity received in mg.</param>
/// <param name="ReceivedAt">When received.</param>
/// <param name="Supplier">Supplier.</param>
/// <param name="InvoiceNumber">Supplier's invoice number.</param>
/// <param name="ReceivedBy">Receiving clinician (from the token).</param>
/// <param name="WitnessUserName">Second clinician.</param>
/// <param name="RecordedAt">When recorded.</param>
/// <param name="Lot">The lot, with its balance after the receipt.</param>
public sealed record ReceiptResponse(
    Guid Id, Guid LotId, Guid SiteId, decimal QuantityMg, DateTime ReceivedAt, string Supplier, string InvoiceNumber, string ReceivedBy,
    string WitnessUserName, DateTime RecordedAt, LotResponse Lot)
{
    internal static ReceiptResponse From(StockReceipt r, LotResponse lot) =>
        new(r.Id, r.LotId, r.SiteId, r.QuantityMg, r.ReceivedAt, r.Supplier, r.InvoiceNumber, r.ReceivedBy, r.WitnessUserName, r.RecordedAt, lot);
}

/// <summary>A return or destruction.</summary>
/// <param name="Id">Disposal id.</param>
/// <param name="LotId">Lot id.</param>
/// <param name="SiteId">Site.</param>
/// <param name="Kind">returned or destroyed.</param>
/// <param name="AmountMg">Amount in mg.</param>
/// <param name="DisposedAt">When.</param>
/// <param name="Reason">Why.</param>
/// <param name="Reference">Return authorisation or Form 41 number.</param>
/// <param name="RecordedBy">Recording clinician.</param>
/// <param name="WitnessUserName">Witness.</param>
/// <param name="RecordedAt">When recorded.</param>
public sealed record DisposalResponse(
    Guid Id, Guid LotId, Guid SiteId, DisposalKind Kind, decimal AmountMg, DateTime DisposedAt, string Reason, string? Reference, string RecordedBy,
    string WitnessUserName, DateTime RecordedAt)
{
    internal static DisposalResponse From(StockDisposal d) =>
        new(d.Id, d.LotId, d.SiteId, d.Kind, d.AmountMg, d.DisposedAt, d.Reason, d.Reference, d.RecordedBy, d.WitnessUserName, d.RecordedAt);
}

/// <summary>A count discrepancy and its resolution.</summary>
/// <param name="Id">Discrepancy id.</param>
/// <param name="LotId">Lot id.</param>
/// <param name="SiteId">Site.</param>
/// <param name="CountId">The count that found it.</param>
/// <param name="AmountMg">Counted − expected: negative when stock is missing.</param>
/// <param name="OpenedAt">When the count was recorded.</param>
/// <param name="Status">open or resolved.</param>
/// <param name="Resolution">adjusted or records-corrected, once resolved.</param>
/// <param name="ResolutionReason">The prescriber's reason.</param>
/// <param name="ReportedToDea">Whether the clinic filed DEA Form 106.</param>
/// <param name="ResolvedAt">When resolved.</param>
/// <param name="ResolvedBy">Resolving prescriber.</param>
/// <param name="AdjustmentMg">What the resolution added to (or, negative, took from) the balance: the amount when adjusted, else 0.</param>
public sealed record DiscrepancyResponse(
    Guid Id, Guid LotId, Guid SiteId, Guid CountId, decimal AmountMg, DateTime OpenedAt, DiscrepancyStatus Status, DiscrepancyResolution? Resolution,
    string? ResolutionReason, bool? ReportedToDea, DateTime? ResolvedAt, string? ResolvedBy, decimal AdjustmentMg)
{
    internal static DiscrepancyResponse From(StockDiscrepancy d) => new(
        d.Id, d.LotId, d.SiteId, d.CountId, d.AmountMg, d.OpenedAt, d.IsOpen ? DiscrepancyStatus.Open : DiscrepancyStatus.Resolved, d.Resolution,
        d.ResolutionReason, d.ReportedToDea, d.ResolvedAt, d.ResolvedBy, Amounts.ToMg(d.AdjustmentUg));
}

/// <summary>Whether a discrepancy awaits a prescriber.</summary>
public enum DiscrepancyStatus
{
    Open,
    Resolved,
}

/// <summary>A count and what it found.</summary>
/// <param name="Id">Count id.</param>
/// <param name="LotId">Lot id.</param>
/// <param name="SiteId">Site.</param>
/// <param name="CountedAt">When counted.</param>
/// <param name="CountedMg">On the shelf.</param>
/// <param name="ExpectedMg">The ledger's balance at that instant.</param>
/// <param name="DifferenceMg">Counted − expected.</param>
/// <param name="Note">Note.</param>
/// <param name="CountedBy">First counter (from the token).</param>
/// <param name="WitnessUserName">Second counter.</param>
/// <param name="RecordedAt">When recorded.</param>
/// <param name="Discrepancy">The discrepancy the count opened; null when the count matched.</param>
public sealed record CountResponse(
    Guid Id, Guid LotId, Guid SiteId, DateTime CountedAt, decimal CountedMg, decimal ExpectedMg, decimal DifferenceMg, string? Note,
    string CountedBy, string WitnessUserName, DateTime RecordedAt, DiscrepancyResponse? Discrepancy)
{
    internal static CountResponse From(StockCount c, StockDiscrepancy? d) => new(
        c.Id, c.LotId, c.SiteId, c.CountedAt, c.CountedMg, c.ExpectedMg, Amounts.ToMg(c.DifferenceUg), c.Note, c.CountedBy, c.WitnessUserName,
        c.RecordedAt, d is null ? null : DiscrepancyResponse.From(d));
}

/// <summary>One lot's line of the reconciliation: the period's movements between its opening and closing balances.</summary>
/// <param name="LotId">Lot id.</param>
/// <param name="SiteId">Site.</param>
/// <param name="LotNumber">Lot number.</param>
/// <param name="Medication">Medication.</param>
/// <param name="Form">Form.</param>
/// <param name="Strength">Strength, in <paramref name="StrengthUnit"/>.</param>
/// <param name="StrengthUnit">mg/mL or mg/unit.</param>
/// <param name="ExpiresOn">Last day of use.</param>
/// <param name="OpeningMg">Balance at the start of the period.</param>
/// <param name="ReceivedMg">Received in the period.</param>
/// <param name="AdministeredMg">Standing doses given in the period.</param>
/// <param name="Administrations">How many standing doses.</param>
/// <param name="WastedMg">Witnessed waste in the period.</param>
/// <param name="DisposedMg">Returned or destroyed in the period.</param>
/// <param name="AdjustedMg">Count adjustments made in the period (signed).</param>
/// <param name="ClosingMg">Opening + received − administered − wasted − disposed + adjusted.</param>
/// <param name="OpenDiscrepancies">What an inspector must be shown: count discrepancies not yet resolved, and a negative closing balance.</param>
public sealed record ReconciliationLine(
    Guid LotId, Guid SiteId, string LotNumber, Medication Medication, StockForm Form, decimal Strength, string StrengthUnit, DateOnly ExpiresOn,
    decimal OpeningMg, decimal ReceivedMg, decimal AdministeredMg, int Administrations, decimal WastedMg, decimal DisposedMg, decimal AdjustedMg,
    decimal ClosingMg, IReadOnlyList<OpenDiscrepancy> OpenDiscrepancies);

/// <summary>A discrepancy the reconciliation shows.</summary>
/// <param name="Kind">count (a count that differed from the ledger, awaiting a prescriber) or negative-balance (more used than received).</param>
/// <param name="DiscrepancyId">The discrepancy (count only).</param>
/// <param name="AmountMg">Counted − expected, or the negative closing balance.</param>
/// <param name="OpenedAt">When the count found it (count only).</param>
public sealed record OpenDiscrepancy(OpenDiscrepancyKind Kind, Guid? DiscrepancyId, decimal AmountMg, DateTime? OpenedAt);

/// <summary>Why a reconciliation line is flagged.</summary>
public enum OpenDiscrepancyKind
{
    Count,
    NegativeBalance,
}

/// <summary>The dispensing reconciliation of a period (domain.md §12): one line per lot with a balance or a movement.</summary>
/// <param name="From">First day (each site's own calendar).</param>
/// <param name="To">Last day, inclusive.</param>
/// <param name="GeneratedAt">When this was computed.</param>
/// <param name="Lots">One line per lot, by site, medication and lot number.</param>
public sealed record ReconciliationResponse(DateOnly From, DateOnly To, DateTime GeneratedAt, IReadOnlyList<ReconciliationLine> Lots);

/// <summary>What moved a lot's balance.</summary>
public enum LedgerEntryKind
{
    Receipt,
    Administration,
    Waste,
    Disposal,
    Adjustment,
}

/// <summary>One movement of a lot, with the balance after it.</summary>
/// <param name="Kind">receipt, administration, waste, disposal or adjustment.</param>
/// <param name="RecordId">The receipt, dose, waste, disposal or discrepancy.</param>
/// <param name="At">When it happened (an adjustment: when the discrepancy was resolved).</param>
/// <param name="ChangeMg">What it added (positive) or took (negative).</param>
/// <param name="BalanceMg">The balance after it.</param>
/// <param name="RecordedBy">Who recorded it.</param>
/// <param name="WitnessUserName">The witness, where the record has one.</param>
/// <param name="SessionId">The session of a dose or waste.</param>
/// <param name="PatientId">The patient of a dose or waste.</param>
public sealed record LedgerEntry(
    LedgerEntryKind Kind, Guid RecordId, DateTime At, decimal ChangeMg, decimal BalanceMg, string RecordedBy, string? WitnessUserName,
    Guid? SessionId, Guid? PatientId);

/// <summary>A lot's movements in order, between its opening and closing balance.</summary>
/// <param name="LotId">Lot id.</param>
/// <param name="OpeningMg">Balance before the first entry listed.</param>
/// <param name="Entries">Movements in time order (then recording order).</param>
/// <param name="ClosingMg">Balance after the last.</param>
public sealed record LedgerResponse(Guid LotId, decimal OpeningMg, IReadOnlyList<LedgerEntry> Entries, decimal ClosingMg);
