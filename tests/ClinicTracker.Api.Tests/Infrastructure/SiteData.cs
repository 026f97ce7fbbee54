using System.Net;
using System.Net.Http.Json;

namespace ClinicTracker.Api.Tests.Infrastructure;

/// <summary>Adds clinic sites through the API, as an admin would (domain.md §14).</summary>
public static class SiteData
{
    /// <summary>A new site named <paramref name="prefix"/> plus a unique suffix (names are unique in the group); its id.</summary>
    public static async Task<Guid> Create(HttpClient admin, string prefix = "Site", string timeZone = "UTC", bool active = true) =>
        (await (await admin.PostAsJsonAsync("/api/v1/sites", new { name = Http.Unique(prefix), timeZone, active })
            .EnsureStatus(HttpStatusCode.Created)).ReadObject())["id"]!.GetValue<Guid>();
}
