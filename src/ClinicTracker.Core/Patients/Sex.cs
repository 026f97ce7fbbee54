namespace ClinicTracker.Core.Patients;

/// <summary>Administrative sex (the FHIR AdministrativeGender value set).</summary>
public enum Sex
{
    Female,
    Male,
    Other,
    Unknown,
}
