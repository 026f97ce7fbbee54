namespace ClinicTracker.Core.Clinicians;

/// <summary>
/// The roles of domain.md §9, as carried by a token's role claims; each is also a role of the staff register,
/// integrators included. Front-desk, nurse, prescriber and integrator count only where the register grants them;
/// admin comes from the identity provider alone.
/// </summary>
public enum StaffRole
{
    FrontDesk,
    Nurse,
    Prescriber,
    Admin,
    Integrator,
}
