namespace ClinicTracker.Core.Dosing;

/// <summary>
/// domain.md §3: an override covers only what was shown. A prescriber's override (a reason and the codes it
/// accepts) lets a dose through only when every warning the dose raises is among the accepted codes.
/// </summary>
public static class DoseOverride
{
    /// <summary>
    /// The raised warnings the override does not cover, in the order raised: all of them without a reason or
    /// when the caller may not override; none when the override names every one. Accepted codes the dose did
    /// not raise are ignored (nothing was overridden by them).
    /// </summary>
    public static IReadOnlyList<string> NotAccepted(
        IReadOnlyList<DoseWarning> raised, IReadOnlyCollection<string> accepted, bool hasReason, bool mayOverride)
    {
        ArgumentNullException.ThrowIfNull(raised);
        ArgumentNullException.ThrowIfNull(accepted);

        var codes = raised.Select(w => w.Code).Distinct(StringComparer.Ordinal);
        return hasReason && mayOverride
            ? [.. codes.Where(c => !accepted.Contains(c, StringComparer.Ordinal))]
            : [.. codes];
    }
}
