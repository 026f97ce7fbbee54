namespace ClinicTracker.Core.Dosing;

/// <summary>Which medication may be given by which route, and each route's SNOMED CT code (domain.md §2).</summary>
public static class MedicationRoutes
{
    /// <summary>FHIR system URI of SNOMED CT, for dosage.route codings (domain.md §11).</summary>
    public const string SnomedSystem = "http://snomed.info/sct";

    public const string IntravenousSnomedCode = "47625008";
    public const string IntranasalSnomedCode = "46713006";
    public const string OralSnomedCode = "26643006";
    public const string SublingualSnomedCode = "37839007";

    /// <summary>The SNOMED CT route code of <paramref name="route"/>.</summary>
    public static string SnomedCode(AdministrationRoute route) => route switch
    {
        AdministrationRoute.Intravenous => IntravenousSnomedCode,
        AdministrationRoute.Intranasal => IntranasalSnomedCode,
        AdministrationRoute.Oral => OralSnomedCode,
        AdministrationRoute.Sublingual => SublingualSnomedCode,
        _ => throw new ArgumentOutOfRangeException(nameof(route), route, "Unknown administration route."),
    };

    /// <summary>
    /// Whether the pair is in the limits table of domain.md §3: racemic ketamine by any route,
    /// esketamine only intranasally (Spravato label).
    /// </summary>
    public static bool IsAllowed(Medication medication, AdministrationRoute route) => (medication, route) switch
    {
        (Medication.Ketamine, AdministrationRoute.Intravenous or AdministrationRoute.Intranasal
            or AdministrationRoute.Oral or AdministrationRoute.Sublingual) => true,
        (Medication.Esketamine, AdministrationRoute.Intranasal) => true,
        _ => false,
    };
}
