using ClinicTracker.Core.Dosing;
using CoreMedication = ClinicTracker.Core.Dosing.Medication;
using ClinicTracker.Core.Outcomes;
using Hl7.Fhir.Model;

namespace ClinicTracker.Fhir;

/// <summary>The codes of domain.md §11, checked against public sources; anything not confirmed there is a local code or text.</summary>
public static class FhirCodes
{
    public const string BloodPressurePanel = "85354-9";
    public const string Systolic = "8480-6";
    public const string Diastolic = "8462-4";
    public const string HeartRate = "8867-4";
    public const string OxygenSaturation = "2708-6";
    public const string OxygenSaturationByPulseOximetry = "59408-5";
    public const string Phq9Panel = "44249-1";
    public const string Phq9Total = "44261-6";

    /// <summary>
    /// PHQ-9 item codes in questionnaire order (item 1 first; item 9, thoughts of self-harm, is 44260-8), as LOINC's
    /// panel 44249-1 lists them.
    /// </summary>
    public static readonly IReadOnlyList<string> Phq9Items =
        ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"];

    /// <summary>PHQ-9 answers 0–3: not at all, several days, more than half the days, nearly every day.</summary>
    public static readonly IReadOnlyList<(string Code, string Display)> Phq9Answers =
    [
        ("LA6568-5", "Not at all"), ("LA6569-3", "Several days"), ("LA6570-1", "More than half the days"), ("LA6571-9", "Nearly every day"),
    ];

    /// <summary>Esketamine: RxNorm 2201623 (nasal spray dose form) and 2201625 (Spravato brand), domain.md §2.</summary>
    public const string EsketamineNasalSpray = "2201623";
    public const string Spravato = "2201625";

    /// <summary>
    /// The medication as a concept. Racemic ketamine is text only: domain.md §11 allows its RxNorm ingredient code only
    /// once verified against an RxNorm release, and none ships with the SDK (docs/fhir.md, "Codes").
    /// </summary>
    public static CodeableConcept Medication(CoreMedication medication) => medication switch
    {
        CoreMedication.Esketamine => new CodeableConcept
        {
            Coding = [new Coding(FhirSystems.RxNorm, EsketamineNasalSpray), new Coding(FhirSystems.RxNorm, Spravato)],
            Text = "Esketamine nasal spray (Spravato)",
        },
        CoreMedication.Ketamine => new CodeableConcept { Text = "Ketamine hydrochloride (racemic)" },
        _ => throw new ArgumentOutOfRangeException(nameof(medication)),
    };

    /// <summary>The route as SNOMED CT (domain.md §2).</summary>
    public static CodeableConcept Route(AdministrationRoute route) => new()
    {
        Coding = [new Coding(FhirSystems.Snomed, MedicationRoutes.SnomedCode(route))],
        Text = Core.Common.EnumNames.Kebab(route),
    };

    /// <summary>The local code of an instrument's total and of its items (MADRS; PHQ-9 uses LOINC).</summary>
    public static string LocalTotalCode(Instrument instrument) => instrument == Instrument.Madrs ? "madrs-total" : "phq9-total";

    public static string LocalItemCode(Instrument instrument, int index) => $"{Core.Common.EnumNames.Kebab(instrument)}-item-{index + 1}";

    public const string CadssCode = "cadss";
    public const string MoaasCode = "moaas";
}
