using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;

namespace ClinicTracker.Api.Tests.Infrastructure;

/// <summary>Every route the API maps, as "VERB /template" with route constraints left out (<c>{sessionId:guid}</c> → <c>{sessionId}</c>).</summary>
public static partial class MappedRoutes
{
    public static IReadOnlyList<(string Key, string Method, string Template)> Of(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m =>
            {
                var template = "/" + ConstraintPattern().Replace(e.RoutePattern.RawText!, "{$1}").Trim('/');
                return ($"{m} {template}", m, template);
            }))];

    [GeneratedRegex("{([^:}]+)(:[^}]+)?}")]
    private static partial Regex ConstraintPattern();
}
