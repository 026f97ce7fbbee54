using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using ClinicTracker.Core.Clinicians;

namespace ClinicTracker.Api.Clinicians;

/// <summary>A staff member to add to the registry.</summary>
public sealed record RegisterClinicianRequest
{
    /// <summary>The user name the identity provider puts in tokens (1–100 of letters, digits, '.', '_', '@', '-'); unique, case-insensitive.</summary>
    [Required]
    public string? UserName { get; init; }

    /// <summary>Name shown to colleagues, 1–100 characters.</summary>
    [Required]
    public string? DisplayName { get; init; }

    /// <summary>
    /// The one role the clinic grants this user: front-desk, nurse, prescriber, integrator (a system client) or
    /// admin (domain.md §9). A token's role counts only where this entry grants it; an admin entry grants nothing,
    /// since the admin role comes from the identity provider alone.
    /// </summary>
    [Required]
    public StaffRole? Role { get; init; }

    /// <summary>Licence or registration number, where the role needs one (at most 64 characters).</summary>
    public string? RegistrationNumber { get; init; }

    /// <summary>Whether the entry counts from now on (default true); false registers someone who may not act yet.</summary>
    public bool? Active { get; init; }

    /// <summary>
    /// The sites the person works at (domain.md §14): they see those sites' records and the records shared with
    /// them, nothing else. Optional while the group has one site (the entry is put at it); required once it has several.
    /// </summary>
    public IReadOnlyList<Guid>? Sites { get; init; }

    /// <summary>True grants every site of the group, now and later: admins and integrators only, and never by default.</summary>
    public bool? AllSites { get; init; }
}

/// <summary>A partial change of a registry entry: only the fields sent are changed.</summary>
public sealed record UpdateClinicianRequest
{
    /// <summary>New display name.</summary>
    public string? DisplayName { get; init; }

    /// <summary>New staff role.</summary>
    public StaffRole? Role { get; init; }

    /// <summary>New registration number; an empty string clears it.</summary>
    public string? RegistrationNumber { get; init; }

    /// <summary>False deactivates the entry (from the next request on, the user can neither read nor write the record); true reactivates.</summary>
    public bool? Active { get; init; }

    /// <summary>The sites the person works at from the next request on (the whole list; it replaces an all-sites grant).</summary>
    public IReadOnlyList<Guid>? Sites { get; init; }

    /// <summary>True grants every site (admins and integrators only); false withdraws the grant, leaving the sites sent (or none).</summary>
    public bool? AllSites { get; init; }
}

/// <summary>A registry entry.</summary>
/// <param name="Id">The clinician's id.</param>
/// <param name="UserName">The token user name that identifies the clinician.</param>
/// <param name="DisplayName">Name shown to colleagues.</param>
/// <param name="Role">Staff role.</param>
/// <param name="RegistrationNumber">Licence or registration number, if any.</param>
/// <param name="Active">Whether the entry counts: only an active entry lets its role read or write the record.</param>
/// <param name="CreatedAt">When the entry was made (UTC).</param>
/// <param name="UpdatedAt">When the entry last changed (UTC).</param>
/// <param name="Version">Concurrency version (the ETag).</param>
/// <param name="Sites">The sites the person works at (empty with an all-sites grant).</param>
/// <param name="AllSites">Whether the entry is granted every site of the group.</param>
public sealed record ClinicianResponse(
    Guid Id, string UserName, string DisplayName, StaffRole Role, string? RegistrationNumber, bool Active,
    DateTime CreatedAt, DateTime UpdatedAt, int Version, IReadOnlyList<Guid> Sites, bool AllSites)
{
    internal static readonly Expression<Func<Clinician, ClinicianResponse>> Projection = c => new ClinicianResponse(
        c.Id, c.UserName, c.DisplayName, c.Role, c.RegistrationNumber, c.Active, c.CreatedAt, c.UpdatedAt, c.Version,
        c.Sites.Select(s => s.SiteId).OrderBy(id => id).ToList(), c.AllSites);

    private static readonly Func<Clinician, ClinicianResponse> FromEntity = Projection.Compile();

    internal static ClinicianResponse From(Clinician clinician) => FromEntity(clinician);
}
