using System.Net;
using System.Net.Http.Headers;
using ClinicTracker.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Tests.Security;

/// <summary>An expired token stops working within 30 s of its expiry, not after the library's default 5 minutes.</summary>
public sealed class TokenLifetimeTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    [Fact]
    public async Task TokenExpired200SecondsAgo_Returns401()
    {
        factory.ClientFor("rn.late", "nurse");

        var response = await Send(TestTokens.ExpiredAgo(TimeSpan.FromSeconds(200), "rn.late", "nurse"));

        await response.AssertProblem(HttpStatusCode.Unauthorized, "auth.unauthenticated");
    }

    [Fact]
    public async Task TokenExpired20SecondsAgo_IsStillAccepted_ClocksDrift()
    {
        factory.ClientFor("rn.drift", "nurse");

        var response = await Send(TestTokens.ExpiredAgo(TimeSpan.FromSeconds(20), "rn.drift", "nurse"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void ClockSkew_IsAtMost30Seconds()
    {
        var options = factory.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

        Assert.InRange(options.TokenValidationParameters.ClockSkew, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }

    private async Task<HttpResponseMessage> Send(string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync("/api/v1/patients");
    }
}
