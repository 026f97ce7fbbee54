using System.Net;
using System.Net.Http.Headers;

namespace ClinicTracker.Api.Tests.Infrastructure;

public sealed class AuthenticationTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    public static TheoryData<string, string?> BadTokens => new()
    {
        { "none", null },
        { "expired", TestTokens.Expired("nurse.kim", "nurse") },
        { "wrong key", TestTokens.WrongKey("nurse.kim", "nurse") },
        { "garbage", "not.a.jwt" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task ProtectedRoute_WithoutValidToken_Returns401Problem(string _, string? token)
    {
        var client = factory.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await client.GetAsync("/api/v1/patients");

        await response.AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ValidTokenWithoutAnyClinicRole_Returns403Problem()
    {
        var response = await factory.ClientFor("visitor", "guest").GetAsync("/api/v1/patients");

        await response.AssertProblem(HttpStatusCode.Forbidden);
    }
}
