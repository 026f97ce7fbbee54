using ClinicTracker.Core.Common;

namespace ClinicTracker.Core.Clinicians;

/// <summary>
/// A staff member or system client who acts in the record (domain.md §1), with the one role the clinic grants
/// (§9: the register is the ceiling of a token's roles). Deactivated, never deleted.
/// </summary>
public sealed class Clinician
{
    private Clinician()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The user name the identity provider puts in the token; the link between a token and this row.</summary>
    public string UserName { get; private set; } = "";

    public string UserNameNormalized { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    public StaffRole Role { get; private set; }

    public string? RegistrationNumber { get; private set; }

    public bool Active { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public DateTime UpdatedAt { get; private set; }

    public string UpdatedBy { get; private set; } = "";

    public int Version { get; private set; }

    /// <summary>
    /// domain.md §14: every site of the group, granted explicitly and only to admins and integrators
    /// (<see cref="MayHoldAllSites"/>); nobody has it by default.
    /// </summary>
    public bool AllSites { get; private set; }

    /// <summary>The sites the person works at: they see the records of these sites (and those shared with them), no other.</summary>
    public IReadOnlyList<ClinicianSite> Sites => sites;

    private readonly List<ClinicianSite> sites = [];

    /// <summary>Only admins and integrators may be granted every site (domain.md §14).</summary>
    public static bool MayHoldAllSites(StaffRole role) => role is StaffRole.Admin or StaffRole.Integrator;

    /// <summary>A new register entry; <paramref name="active"/> false registers someone who may not act yet.</summary>
    public static Clinician Register(
        string userName, string displayName, StaffRole role, string? registrationNumber, string actor, DateTime nowUtc,
        IEnumerable<Guid> siteIds, bool allSites = false, bool active = true)
    {
        var clinician = new Clinician
        {
            Id = Guid.CreateVersion7(),
            UserName = userName.Trim(),
            UserNameNormalized = SearchText.Normalize(userName),
            DisplayName = displayName.Trim(),
            Role = role,
            RegistrationNumber = Blank(registrationNumber),
            Active = active,
            CreatedAt = nowUtc,
            CreatedBy = actor,
            UpdatedAt = nowUtc,
            UpdatedBy = actor,
            Version = 1,
        };
        clinician.WorkAt(allSites ? [] : siteIds, allSites);
        return clinician;
    }

    /// <summary>Applies the fields a PATCH names; a null argument leaves that field as it is.</summary>
    public void Change(
        string? displayName, StaffRole? role, string? registrationNumber, bool? active, string actor, DateTime nowUtc,
        IEnumerable<Guid>? siteIds = null, bool? allSites = null)
    {
        // Explicit sites replace an all-sites grant; an all-sites grant needs no list.
        if (allSites is true)
        {
            WorkAt([], allSites: true);
        }
        else if (siteIds is not null || allSites is false)
        {
            WorkAt(siteIds ?? sites.Select(s => s.SiteId), allSites: false);
        }

        if (displayName is not null)
        {
            DisplayName = displayName.Trim();
        }

        if (role is not null)
        {
            Role = role.Value;
        }

        if (registrationNumber is not null)
        {
            // An empty string clears the number; null means "not part of this change".
            RegistrationNumber = Blank(registrationNumber);
        }

        if (active is not null)
        {
            Active = active.Value;
        }

        UpdatedAt = nowUtc;
        UpdatedBy = actor;
        Version++;
    }

    /// <summary>
    /// Sets where the person works. Sites kept from before keep their rows (the join table's key is the pair), so
    /// a change touches only the sites that came or went.
    /// </summary>
    private void WorkAt(IEnumerable<Guid> siteIds, bool allSites)
    {
        var wanted = siteIds.ToHashSet();
        sites.RemoveAll(s => !wanted.Contains(s.SiteId));
        sites.AddRange(wanted.Where(id => sites.All(s => s.SiteId != id)).Select(id => new ClinicianSite(id)));
        AllSites = allSites;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>One site a register entry works at (the <c>clinician_sites</c> table).</summary>
public sealed class ClinicianSite(Guid siteId)
{
    public Guid SiteId { get; private set; } = siteId;
}
