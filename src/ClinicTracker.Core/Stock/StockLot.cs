using ClinicTracker.Core.Common;
using ClinicTracker.Core.Dosing;

namespace ClinicTracker.Core.Stock;

/// <summary>How a lot's product is presented, which decides the routes it can be given by and what its strength means.</summary>
public enum StockForm
{
    /// <summary>Injection vial (racemic ketamine HCl); strength in mg/mL.</summary>
    Vial,

    /// <summary>Esketamine nasal spray device (Spravato); strength in mg per device (28).</summary>
    NasalSprayDevice,

    /// <summary>Compounded racemic ketamine nasal spray; strength in mg/mL.</summary>
    NasalSpray,

    /// <summary>Oral solution; strength in mg/mL.</summary>
    OralSolution,

    /// <summary>Capsule; strength in mg per capsule.</summary>
    Capsule,

    /// <summary>Troche or lozenge; strength in mg per troche.</summary>
    Troche,

    /// <summary>Rapid-dissolve (sublingual) tablet; strength in mg per tablet.</summary>
    SublingualTablet,
}

/// <summary>The routes each form is given by (domain.md §2) and the unit of its strength.</summary>
public static class StockForms
{
    public static bool IsPerMl(StockForm form) => form is StockForm.Vial or StockForm.NasalSpray or StockForm.OralSolution;

    public static string StrengthUnit(StockForm form) => IsPerMl(form) ? "mg/mL" : "mg/unit";

    /// <summary>domain.md §2: IV infusion from vials; intranasal from the esketamine device or a compounded spray; oral solution or capsule; troche or rapid-dissolve tablet.</summary>
    public static bool Serves(StockForm form, AdministrationRoute route) => route switch
    {
        AdministrationRoute.Intravenous => form == StockForm.Vial,
        AdministrationRoute.Intranasal => form is StockForm.NasalSprayDevice or StockForm.NasalSpray,
        AdministrationRoute.Oral => form is StockForm.OralSolution or StockForm.Capsule,
        AdministrationRoute.Sublingual => form is StockForm.Troche or StockForm.SublingualTablet,
        _ => false,
    };

    /// <summary>Esketamine comes only as the nasal spray device (domain.md §2); racemic ketamine in every other form.</summary>
    public static bool Holds(Medication medication, StockForm form) =>
        medication == Medication.Esketamine ? form == StockForm.NasalSprayDevice : form != StockForm.NasalSprayDevice;
}

/// <summary>
/// One manufacturer's lot of a controlled substance held at one site (domain.md §12; 21 CFR 1304.22: records per
/// lot). Its balance is never stored: it is the ledger of receipts, standing doses, waste, disposals and count
/// adjustments (<see cref="StockLedger"/>), so it cannot drift from the records that justify it.
/// </summary>
public sealed class StockLot : ISiteLinked, IRecordedInOrder
{
    private StockLot()
    {
    }

    public Guid Id { get; private set; }

    public Guid SiteId { get; private set; }

    public Medication Medication { get; private set; }

    public StockForm Form { get; private set; }

    /// <summary>mg/mL for solutions and vials, mg per unit for devices, capsules, troches and tablets (<see cref="StockForms.StrengthUnit"/>).</summary>
    public decimal Strength { get; private set; }

    /// <summary>The lot number as printed on the product.</summary>
    public string LotNumber { get; private set; } = "";

    /// <summary>Trimmed and upper-cased (<see cref="SearchText.Normalize"/>): doses name the lot as printed, in any case.</summary>
    public string LotNumberNormalized { get; private set; } = "";

    /// <summary>The last day the lot may be used (a label's "EXP 2027-06" is 2027-06-30).</summary>
    public DateOnly ExpiresOn { get; private set; }

    public string? Manufacturer { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public static StockLot Create(Guid siteId, Medication medication, StockForm form, decimal strength, string lotNumber, DateOnly expiresOn,
        string? manufacturer, string userName, DateTime nowUtc) => new()
        {
            Id = Guid.CreateVersion7(),
            SiteId = siteId,
            Medication = medication,
            Form = form,
            Strength = strength,
            LotNumber = lotNumber.Trim(),
            LotNumberNormalized = SearchText.Normalize(lotNumber),
            ExpiresOn = expiresOn,
            Manufacturer = string.IsNullOrWhiteSpace(manufacturer) ? null : manufacturer.Trim(),
            CreatedAt = nowUtc,
            CreatedBy = userName,
        };

    /// <summary>Whether the lot is past its expiry on <paramref name="localDate"/> (the clinic's date of the use).</summary>
    public bool ExpiredOn(DateOnly localDate) => localDate > ExpiresOn;

    /// <summary>A later receipt of the same lot number must describe the same product (409 otherwise: two products under one lot number).</summary>
    public RuleViolation? RefuseUnlessSameProduct(Medication medication, StockForm form, decimal strength, DateOnly expiresOn)
    {
        if (medication == Medication && form == Form && strength == Strength && expiresOn == ExpiresOn)
        {
            return null;
        }

        return RuleViolation.Conflict("stock.lot-conflict", "The lot number is already held as another product.",
            $"Lot {Id} ({LotNumber}) is {EnumNames.Kebab(Medication)} {EnumNames.Kebab(Form)} {Strength} {StockForms.StrengthUnit(Form)}, " +
            $"expiring {ExpiresOn:yyyy-MM-dd}; a receipt of the same lot number must match it.");
    }
}

/// <summary>A stock record kept at one site (domain.md §12, §14): visible to that site's staff only.</summary>
public interface ISiteLinked
{
    Guid Id { get; }

    Guid SiteId { get; }
}
