namespace ClinicTracker.Core.Dosing;

/// <summary>The medications of domain.md §2. Serialized as "ketamine" / "esketamine".</summary>
public enum Medication
{
    /// <summary>Racemic ketamine HCl (DEA 7285, Schedule III).</summary>
    Ketamine,

    /// <summary>Esketamine nasal spray, Spravato (Schedule III); intranasal only.</summary>
    Esketamine,
}

/// <summary>Routes of administration of domain.md §2. Serialized kebab-case lower ("intravenous").</summary>
public enum AdministrationRoute
{
    Intravenous,
    Intranasal,
    Oral,
    Sublingual,
}
