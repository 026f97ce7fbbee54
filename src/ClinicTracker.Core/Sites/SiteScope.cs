namespace ClinicTracker.Core.Sites;

/// <summary>
/// The sites whose records a context may see (domain.md §14; ADR 0015). A context starts with <see cref="None"/>:
/// nothing patient-linked is visible until the request's caller is known (the API scopes every request to the
/// caller's register entry). <see cref="Everything"/> is for the system's own work (start-up, tests' setup) and for
/// callers granted all sites explicitly.
/// </summary>
public sealed class SiteScope
{
    private SiteScope(bool allSites, IEnumerable<Guid> siteIds)
    {
        AllSites = allSites;
        SiteIds = [.. siteIds.Distinct()];
    }

    /// <summary>No site: every patient-linked query is empty.</summary>
    public static SiteScope None { get; } = new(false, []);

    /// <summary>Every site of the group.</summary>
    public static SiteScope Everything { get; } = new(true, []);

    public bool AllSites { get; }

    /// <summary>The sites, when not <see cref="AllSites"/>. A list, so the query filter sends it as one parameter.</summary>
    public List<Guid> SiteIds { get; }

    public static SiteScope Of(IEnumerable<Guid> siteIds) => new(false, siteIds);

    public bool Includes(Guid siteId) => AllSites || SiteIds.Contains(siteId);
}
