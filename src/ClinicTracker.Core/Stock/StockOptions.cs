using ClinicTracker.Core.Common;

namespace ClinicTracker.Core.Stock;

/// <summary>The "Stock" configuration section (domain.md §12; docs/controlled-substances.md).</summary>
public sealed class StockOptions : IValidatableOptions
{
    public const string Section = "Stock";

    /// <summary>
    /// On (the default): every dose and waste names a lot the site holds, with enough balance (409
    /// <c>stock.insufficient</c>), and disposals cannot take more than the balance. Off, for a clinic that keeps its
    /// controlled-substance records elsewhere: doses are recorded without the balance checks, and the ledger still
    /// computes balances for the lots it knows — a negative balance shows as a discrepancy. The checks that are about
    /// the patient rather than the books (an expired lot, a lot of another medication or form) apply either way.
    /// </summary>
    public bool Enforce { get; set; } = true;

    public IReadOnlyList<string> Validate() => [];
}
