namespace ClinicTracker.Core.Clinicians;

/// <summary>The token user's entry in the staff register, as far as the ceiling needs it.</summary>
/// <param name="Role">The one role the clinic granted.</param>
/// <param name="Active">Whether the entry counts (deactivated entries grant nothing).</param>
public readonly record struct RegisterEntry(StaffRole Role, bool Active);

/// <summary>
/// domain.md §9, "the staff register is the ceiling": which of a token's roles count. A front-desk, nurse,
/// prescriber or integrator claim counts only where the user's register entry is active and grants that very
/// role; admin comes from the identity provider alone (an empty register must be fillable), so an admin claim
/// counts with or without an entry and an admin entry grants nothing.
/// </summary>
public static class RoleCeiling
{
    /// <summary>Whether a claim of this role counts only with a matching, active register entry.</summary>
    public static bool NeedsRegisterEntry(StaffRole role) => role != StaffRole.Admin;

    /// <summary>The roles that count for a token claiming <paramref name="claimed"/>, given the user's entry (null: none).</summary>
    public static IReadOnlySet<StaffRole> Granted(IReadOnlySet<StaffRole> claimed, RegisterEntry? entry)
    {
        var granted = new HashSet<StaffRole>();
        if (claimed.Contains(StaffRole.Admin))
        {
            granted.Add(StaffRole.Admin);
        }

        if (entry is { Active: true, Role: var role } && NeedsRegisterEntry(role) && claimed.Contains(role))
        {
            granted.Add(role);
        }

        return granted;
    }
}
