using ClinicTracker.Core.Common;
using ClinicTracker.Core.Plans;

namespace ClinicTracker.Core.Sites;

/// <summary>
/// One clinic of the group (domain.md §14): its own name, IANA time zone, address and, where it holds controlled
/// substances, its own DEA registration (stock, §12, is kept per site). Deactivated, never deleted: records stay at it.
/// </summary>
public sealed class Site
{
    /// <summary>
    /// The site the <c>Sites</c> migration made for the records that existed before there were sites; a single
    /// clinic runs on it and notices nothing (domain.md §14). Digits only, so SQLite's text form is the same in any case.
    /// </summary>
    public static readonly Guid DefaultId = new("00000000-0000-0000-0000-000000000001");

    /// <summary>Who made the default site: the migration. While it still says so, the configured time zone applies.</summary>
    public const string MigrationActor = "system:migration";

    private Site()
    {
    }

    public Guid Id { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>Trimmed, upper-cased name (<see cref="SearchText.Normalize"/>): two sites cannot both be called "North" and "north".</summary>
    public string NameNormalized { get; private set; } = "";

    /// <summary>
    /// IANA time zone: clinic-local dates (§10) of the plans at this site use it unless a plan names its own;
    /// a plan created without a time zone takes this one.
    /// </summary>
    public string TimeZone { get; private set; } = "";

    public string? Address { get; private set; }

    /// <summary>The location's DEA registration number (21 CFR 1301.12: one registration per location that stores controlled substances).</summary>
    public string? DeaRegistration { get; private set; }

    /// <summary>An inactive site takes no new patients, plans, sessions, shares or staff; what it holds stays readable.</summary>
    public bool Active { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public DateTime UpdatedAt { get; private set; }

    public string UpdatedBy { get; private set; } = "";

    public int Version { get; private set; }

    public static Site Create(string name, string timeZone, string? address, string? deaRegistration, bool active, string actor, DateTime nowUtc)
    {
        var site = new Site
        {
            Id = Guid.CreateVersion7(),
            CreatedAt = nowUtc,
            CreatedBy = actor,
            Version = 1,
        };
        site.Apply(name, timeZone, address, deaRegistration, active, actor, nowUtc);
        return site;
    }

    /// <summary>Applies the fields a PATCH names; a null argument leaves that field as it is, an empty string clears an optional one.</summary>
    public void Change(string? name, string? timeZone, string? address, string? deaRegistration, bool? active, string actor, DateTime nowUtc)
    {
        Apply(name ?? Name, timeZone ?? TimeZone, address is null ? Address : Blank(address),
            deaRegistration is null ? DeaRegistration : Blank(deaRegistration), active ?? Active, actor, nowUtc);
        Version++;
    }

    /// <summary>
    /// The default site's zone from <c>Sites:DefaultTimeZone</c> (docs/operations.md), applied only while no admin has
    /// changed the site through the API: configuration seeds the zone, the API owns it after the first change.
    /// </summary>
    public bool ApplyConfiguredTimeZone(string timeZone)
    {
        if (Id != DefaultId || UpdatedBy != MigrationActor || TimeZone == timeZone || !ClinicTime.IsKnownZone(timeZone))
        {
            return false;
        }

        TimeZone = timeZone;
        Version++;
        return true;
    }

    /// <summary>domain.md §14: an inactive site takes no new records.</summary>
    public RuleViolation? RefuseUnlessActive(string what) => Active
        ? null
        : RuleViolation.Conflict("site.inactive", "The site is inactive.", $"Site {Id} is inactive and takes no {what}.");

    private void Apply(string name, string timeZone, string? address, string? deaRegistration, bool active, string actor, DateTime nowUtc)
    {
        Name = name.Trim();
        NameNormalized = SearchText.Normalize(name);
        TimeZone = timeZone;
        Address = Blank(address);
        DeaRegistration = Blank(deaRegistration)?.ToUpperInvariant();
        Active = active;
        UpdatedAt = nowUtc;
        UpdatedBy = actor;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
