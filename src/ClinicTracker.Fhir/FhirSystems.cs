namespace ClinicTracker.Fhir;

/// <summary>
/// The code systems, identifier systems and profiles the mapping uses (domain.md §11). Standard ones are constants;
/// the clinic's own are named for its canonical FHIR base (<c>Fhir:CanonicalBase</c>), so two clinics' local codes
/// never collide and an integrator can tell whose MRN an identifier is.
/// </summary>
public sealed class FhirSystems
{
    public const string Loinc = "http://loinc.org";
    public const string Snomed = "http://snomed.info/sct";
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public const string Ucum = "http://unitsofmeasure.org";
    public const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";
    public const string IdentifierType = "http://terminology.hl7.org/CodeSystem/v2-0203";
    public const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public const string ParticipationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    public const string AdverseEventSeriousness = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness";
    public const string AdverseEventSeverity = "http://terminology.hl7.org/CodeSystem/adverse-event-severity";
    public const string AdverseEventOutcome = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome";

    /// <summary>The base specification's vital-signs profiles (FHIR R4 §observation-vitalsigns).</summary>
    public const string BloodPressureProfile = "http://hl7.org/fhir/StructureDefinition/bp";
    public const string HeartRateProfile = "http://hl7.org/fhir/StructureDefinition/heartrate";
    public const string OxygenSaturationProfile = "http://hl7.org/fhir/StructureDefinition/oxygensat";

    /// <summary>LOINC's PHQ-9 form as a canonical questionnaire (the LOINC convention <c>http://loinc.org/q/{panel}</c>).</summary>
    public const string Phq9Questionnaire = "http://loinc.org/q/44249-1";

    public FhirSystems(string canonicalBase)
    {
        if (!Uri.TryCreate(canonicalBase, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("The canonical base must be an absolute http(s) URL.", nameof(canonicalBase));
        }

        Base = canonicalBase.TrimEnd('/');
    }

    /// <summary>The clinic's canonical FHIR base, without a trailing slash.</summary>
    public string Base { get; }

    /// <summary>The identifier system of the clinic's medical record numbers.</summary>
    public string Mrn => $"{Base}/sid/mrn";

    /// <summary>The identifier system of staff user names (the staff register, domain.md §9): performers are logical references.</summary>
    public string StaffUser => $"{Base}/sid/staff-user";

    /// <summary>The identifier system of the group's sites (domain.md §14): a patient's home site, a visit's site.</summary>
    public string Site => $"{Base}/sid/site";

    /// <summary>Local codes of measurements with no confirmed LOINC code: CADSS, MOAA/S, MADRS total and items (domain.md §11).</summary>
    public string ObservationCodes => $"{Base}/CodeSystem/observation";

    /// <summary>Local codes of the adverse event types of domain.md §5.</summary>
    public string AdverseEventTypes => $"{Base}/CodeSystem/adverse-event-type";

    /// <summary>The session's own lifecycle status (domain.md §4), finer than Encounter.status (no-show, held).</summary>
    public string SessionStatusExtension => $"{Base}/StructureDefinition/session-status";

    /// <summary>The MADRS as a questionnaire of the clinic (no LOINC form is confirmed).</summary>
    public string MadrsQuestionnaire => $"{Base}/Questionnaire/madrs";
}
