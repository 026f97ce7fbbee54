namespace ClinicTracker.Core.Clinicians;

/// <summary>The roles of domain.md §9, as carried by a token's role claims.</summary>
public enum StaffRole
{
    FrontDesk,
    Nurse,
    Prescriber,
    Admin,
    Integrator,
}
