using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClinicTracker.Api.Tests.Security;

public sealed class PhiSafeLoggingTests
{
    [Fact]
    public async Task FullScenario_LogsNoNameBirthDateMrnOrNote()
    {
        using var factory = new LogCapturingFactory();
        var data = new TreatmentData(factory);
        var mrn = Http.Unique("PHI");
        var patient = await PatientData.Register(data.FrontDesk, new
        {
            mrn,
            givenName = "Philomena",
            familyName = "Xylander",
            dateOfBirth = "1971-04-23",
            sex = "female",
            diagnosis = "Confidential-note-Quokka",
        });
        var patientId = patient["id"]!.GetValue<Guid>();
        await data.FrontDesk.GetAsync($"/api/v1/patients?search=Xylander").EnsureStatus(HttpStatusCode.OK);
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        var sessionId = await data.Session(patientId, planId);
        await data.CheckIn(sessionId);
        await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created);
        await data.Dose(data.Prescriber, sessionId, TreatmentData.Iv(80m, overrideReason: "Confidential-note-Quokka"));
        await data.FrontDesk.PostAsync("/api/v1/patients", Http.Json("""{"mrn":"PHI-X","givenName":"Philomena","familyName":"Xylander","dateOfBirth":"1971-04-23","sex":"bad"}"""));
        await data.FrontDesk.PutAsJsonAsync($"/api/v1/patients/{patientId}", new { mrn, givenName = "Philomena" });

        var logs = string.Join('\n', factory.Lines);

        Assert.Contains($"HTTP POST /api/v1/sessions/{{sessionId:guid}}/doses responded 201", logs, StringComparison.Ordinal);
        foreach (var secret in new[] { "Philomena", "Xylander", "1971-04-23", mrn, "Confidential-note-Quokka" })
        {
            Assert.DoesNotContain(secret, logs, StringComparison.OrdinalIgnoreCase);
        }
    }

    private sealed class LogCapturingFactory : ClinicApiFactory
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            // Everything the app logs at its configured levels, plus EF and ASP.NET at Information.
            builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Information");
            builder.ConfigureLogging(logging => logging.AddProvider(new CaptureProvider(Lines)));
        }

        private sealed class CaptureProvider(ConcurrentQueue<string> lines) : ILoggerProvider
        {
            public ILogger CreateLogger(string categoryName) => new Capture(categoryName, lines);

            public void Dispose()
            {
            }
        }

        private sealed class Capture(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}

public sealed class AbuseLimitTests
{
    [Fact]
    public async Task RateLimit_PerUser_Returns429ProblemWithRetryAfter_OtherUsersUnaffected()
    {
        using var factory = new SettingsFactory(new() { ["Security:PermitsPerWindow"] = "5", ["Security:WindowSeconds"] = "60" });
        var busy = factory.ClientFor("busy.bee", "nurse");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await busy.GetAsync("/api/v1/patients")).StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 5), statuses.Take(5));
        var limited = await busy.GetAsync("/api/v1/patients");
        await limited.AssertProblem(HttpStatusCode.TooManyRequests, "rate-limited");
        var retryAfter = int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        // draft-ietf-httpapi-ratelimit-headers: the quota (5 per 60 s), nothing left, and the same wait as Retry-After.
        Assert.Equal("\"default\";q=5;w=60", limited.Headers.GetValues("RateLimit-Policy").Single());
        Assert.Equal($"\"default\";r=0;t={retryAfter}", limited.Headers.GetValues("RateLimit").Single());
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientFor("calm.cat", "nurse").GetAsync("/api/v1/patients")).StatusCode);
    }

    [Fact]
    public async Task OversizedBody_Returns413Problem()
    {
        using var factory = new SettingsFactory(new() { ["Security:MaxRequestBodyBytes"] = "1024" });
        var client = factory.ClientFor("fd.jones", "front-desk");

        var response = await client.PostAsync("/api/v1/patients", Http.Json($$"""{"mrn":"M-1","diagnosis":"{{new string('x', 2000)}}"}"""));

        await response.AssertProblem(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders_AndCorsAllowsOnlyConfiguredOrigins()
    {
        using var factory = new SettingsFactory(new() { ["Security:AllowedOrigins:0"] = "https://front.clinic.example" });
        var client = factory.CreateClient();

        var response = await client.GetAsync("/health/live");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());

        async Task<HttpResponseMessage> Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/patients");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            return await client.SendAsync(request);
        }

        Assert.Equal("https://front.clinic.example",
            (await Preflight("https://front.clinic.example")).Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False((await Preflight("https://evil.example")).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public void Production_WithoutTokenValidationConfigured_RefusesToStart()
    {
        using var factory = new ProductionWithoutKeysFactory();

        var error = Assert.ThrowsAny<InvalidOperationException>(() => factory.CreateClient());

        Assert.Contains("Authentication:Schemes:Bearer:Authority", error.Message, StringComparison.Ordinal);
    }

    private sealed class SettingsFactory(Dictionary<string, string?> settings) : ClinicApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => settings;
    }

    private sealed class ProductionWithoutKeysFactory : WebApplicationFactory<Program>
    {
        private readonly TestDatabase database = TestDatabase.Create();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(Environments.Production);
            foreach (var (key, value) in database.Settings)
            {
                builder.UseSetting(key, value);
            }
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            database.Dispose();
        }
    }
}
