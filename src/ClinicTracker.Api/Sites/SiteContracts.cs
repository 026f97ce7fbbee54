using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using ClinicTracker.Core.Sites;

namespace ClinicTracker.Api.Sites;

/// <summary>A clinic site to add to the group (domain.md §14).</summary>
public sealed record CreateSiteRequest
{
    /// <summary>Name shown to staff, 1–100 characters; unique, compared case-insensitively.</summary>
    [Required]
    public string? Name { get; init; }

    /// <summary>IANA time zone of the site, e.g. America/Chicago: plans created here without their own zone use it.</summary>
    [Required]
    public string? TimeZone { get; init; }

    /// <summary>Postal address, at most 500 characters.</summary>
    public string? Address { get; init; }

    /// <summary>The site's DEA registration number (two letters and seven digits with a valid check digit), where it holds controlled substances; unique.</summary>
    public string? DeaRegistration { get; init; }

    /// <summary>Whether the site takes new records (default true).</summary>
    public bool? Active { get; init; }
}

/// <summary>A partial change of a site: only the fields sent are changed; an empty string clears address or DEA registration.</summary>
public sealed record UpdateSiteRequest
{
    /// <summary>New name.</summary>
    public string? Name { get; init; }

    /// <summary>New IANA time zone; existing plans keep the zone they were made with.</summary>
    public string? TimeZone { get; init; }

    /// <summary>New address; an empty string clears it.</summary>
    public string? Address { get; init; }

    /// <summary>New DEA registration number; an empty string clears it.</summary>
    public string? DeaRegistration { get; init; }

    /// <summary>False: the site takes no new patients, plans, sessions, shares or staff; what it holds stays readable.</summary>
    public bool? Active { get; init; }
}

/// <summary>A clinic site.</summary>
/// <param name="Id">The site's id.</param>
/// <param name="Name">Name shown to staff.</param>
/// <param name="TimeZone">IANA time zone.</param>
/// <param name="Address">Postal address, if recorded.</param>
/// <param name="DeaRegistration">DEA registration number, if the site holds one.</param>
/// <param name="Active">Whether the site takes new records.</param>
/// <param name="CreatedAt">When the site was added (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
/// <param name="Version">Concurrency version (the ETag).</param>
public sealed record SiteResponse(
    Guid Id, string Name, string TimeZone, string? Address, string? DeaRegistration, bool Active, DateTime CreatedAt, DateTime UpdatedAt,
    int Version)
{
    internal static readonly Expression<Func<Site, SiteResponse>> Projection = s => new SiteResponse(
        s.Id, s.Name, s.TimeZone, s.Address, s.DeaRegistration, s.Active, s.CreatedAt, s.UpdatedAt, s.Version);

    private static readonly Func<Site, SiteResponse> FromEntity = Projection.Compile();

    internal static SiteResponse From(Site site) => FromEntity(site);
}
