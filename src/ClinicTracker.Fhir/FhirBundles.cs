using Hl7.Fhir.Model;

namespace ClinicTracker.Fhir;

/// <summary>Search results as a <c>searchset</c> Bundle: each entry's full URL under the server's base, self and next links.</summary>
public static class FhirBundles
{
    /// <param name="baseUrl">The server's FHIR base as the client called it, without a trailing slash.</param>
    /// <param name="matches">The resources of this page.</param>
    /// <param name="selfUrl">The request that produced the page.</param>
    /// <param name="nextUrl">The next page's request; null on the last page.</param>
    /// <param name="now">The instant the bundle was assembled.</param>
    public static Bundle SearchSet(string baseUrl, IEnumerable<Resource> matches, string selfUrl, string? nextUrl, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString("D"),
            Meta = new Meta { LastUpdated = now },
            Type = Bundle.BundleType.Searchset,
            Link = [new Bundle.LinkComponent { Relation = "self", Url = selfUrl }],
        };
        if (nextUrl is not null)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = nextUrl });
        }

        foreach (var resource in matches)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/{resource.TypeName}/{resource.Id}",
                Resource = resource,
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            });
        }

        return bundle;
    }
}
