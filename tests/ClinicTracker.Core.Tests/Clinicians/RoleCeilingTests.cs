using ClinicTracker.Core.Clinicians;
using static ClinicTracker.Core.Clinicians.StaffRole;

namespace ClinicTracker.Core.Tests.Clinicians;

/// <summary>
/// domain.md §9: the staff register is the ceiling of a token's roles. Each row: what the token claims, the
/// user's register entry (none, or role and whether active), and the roles that count, reasoned in the comment.
/// </summary>
public sealed class RoleCeilingTests
{
    public static TheoryData<string, StaffRole[], StaffRole?, bool, StaffRole[]> Cases => new()
    {
        // Claim and entry agree, entry active: the role counts.
        { "nurse registered as nurse", [Nurse], Nurse, true, [Nurse] },
        // The register grants front-desk; the token's prescriber claim is above the ceiling: nothing counts.
        { "front-desk entry, prescriber token", [Prescriber], FrontDesk, true, [] },
        // Two claims, one granted: only the granted one counts (no prescriber override for a registered nurse).
        { "nurse entry, nurse+prescriber token", [Nurse, Prescriber], Nurse, true, [Nurse] },
        // Deactivated: the entry grants nothing any more, reads included.
        { "deactivated nurse", [Nurse], Nurse, false, [] },
        // No entry at all: nothing but admin could count, and none is claimed.
        { "integrator not registered", [Integrator], null, true, [] },
        { "integrator registered", [Integrator], Integrator, true, [Integrator] },
        // Admin comes from the identity provider alone: no entry needed …
        { "admin, no entry", [Admin], null, true, [Admin] },
        // … a deactivated admin entry does not revoke it (revoke it at the provider) …
        { "admin, deactivated admin entry", [Admin], Admin, false, [Admin] },
        // … and an admin entry grants no clinic role to a token that claims one.
        { "admin entry, nurse token", [Nurse], Admin, true, [] },
        // Admin and a registered clinic role are independent: both count.
        { "admin + registered prescriber", [Admin, Prescriber], Prescriber, true, [Admin, Prescriber] },
        // No claims: nothing counts, whatever the register says.
        { "no roles in the token", [], Nurse, true, [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Granted_IsTheClaimsTheRegisterBacks_PlusAdminFromTheProvider(
        string _, StaffRole[] claimed, StaffRole? registered, bool active, StaffRole[] expected)
    {
        var entry = registered is { } role ? new RegisterEntry(role, active) : (RegisterEntry?)null;

        var granted = RoleCeiling.Granted(claimed.ToHashSet(), entry);

        Assert.Equal(expected.Order(), granted.Order());
    }

    [Fact]
    public void EveryRoleButAdmin_NeedsARegisterEntry()
    {
        Assert.Equal([FrontDesk, Nurse, Prescriber, Integrator], Enum.GetValues<StaffRole>().Where(RoleCeiling.NeedsRegisterEntry));
    }
}
