using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Common;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Core.Sites;

namespace ClinicTracker.Api.Tests.Sites;

/// <summary>
/// <c>Sites:DefaultTimeZone</c> (domain.md §14, docs/operations.md): configuration seeds the default site's zone at
/// start-up while the site is as the migration made it; after an admin changes the site, the API owns it. The rules of
/// <see cref="Site.ApplyConfiguredTimeZone"/> themselves are in ClinicTracker.Core.Tests (SiteTests).
/// </summary>
public sealed class DefaultSiteTimeZoneTests
{
    private static readonly string DefaultSite = $"/api/v1/sites/{Site.DefaultId}";

    [Fact]
    public async Task ConfiguredZone_IsTheDefaultSitesZone_AndPlansWithoutAZoneTakeIt()
    {
        using var factory = new SettingsFactory(new() { [DatabaseSetup.DefaultSiteTimeZoneKey] = "America/Chicago" });
        var admin = factory.ClientFor("admin.zone", "admin");

        var site = await (await admin.GetAsync(DefaultSite)).EnsureSuccessObject();

        Assert.Equal("America/Chicago", site["timeZone"]!.GetValue<string>());
        Assert.Equal("Main site", site["name"]!.GetValue<string>());
        var data = new TreatmentData(factory);
        var patientId = await data.Patient();
        var plan = await (await data.Prescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans",
            new { medication = "ketamine", route = "intravenous", startDate = "2026-03-02", template = "iv-induction", targetDoseMgPerKg = 0.5m })
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();
        Assert.Equal("America/Chicago", plan["timeZone"]!.GetValue<string>());
    }

    [Fact]
    public async Task AfterAnAdminChangesTheZone_ARestartWithTheSameSettingKeepsTheAdminsZone()
    {
        using var factory = new SettingsFactory(new() { [DatabaseSetup.DefaultSiteTimeZoneKey] = "America/Chicago" });
        var admin = factory.ClientFor("admin.zone", "admin");
        var seeded = await (await admin.GetAsync(DefaultSite)).EnsureSuccessObject();
        Assert.Equal("America/Chicago", seeded["timeZone"]!.GetValue<string>());

        // A restart runs the start-up migration step again on the same database and configuration: nothing changes.
        await DatabaseSetup.MigrateAsync(factory.Services);
        var again = await (await admin.GetAsync(DefaultSite)).EnsureSuccessObject();
        Assert.Equal(seeded.ToJsonString(), again.ToJsonString());

        await (await admin.PatchAsync(DefaultSite, Http.Json("""{"timeZone":"Europe/London"}"""))).EnsureSuccess();
        await DatabaseSetup.MigrateAsync(factory.Services);

        var after = await (await admin.GetAsync(DefaultSite)).EnsureSuccessObject();
        Assert.Equal("Europe/London", after["timeZone"]!.GetValue<string>());
        Assert.Equal(seeded["version"]!.GetValue<int>() + 1, after["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task ConfiguredZone_LeavesOtherSitesAlone()
    {
        using var factory = new SettingsFactory(new() { [DatabaseSetup.DefaultSiteTimeZoneKey] = "America/Chicago" });
        var admin = factory.ClientFor("admin.zone", "admin");
        var tokyo = await (await admin.PostAsJsonAsync("/api/v1/sites", new { name = Http.Unique("Tokyo"), timeZone = "Asia/Tokyo" })
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();

        await DatabaseSetup.MigrateAsync(factory.Services);

        var read = await (await admin.GetAsync($"/api/v1/sites/{tokyo["id"]}")).EnsureSuccessObject();
        SiteEndpointsTests.AssertSameSite(tokyo, read);
    }

    [Fact]
    public async Task WithoutTheSetting_TheDefaultSiteKeepsTheMigrationsZone()
    {
        // No plans existed when the migration ran: UTC.
        using var factory = new SettingsFactory([]);

        var site = await (await factory.ClientFor("admin.zone", "admin").GetAsync(DefaultSite)).EnsureSuccessObject();

        Assert.Equal("UTC", site["timeZone"]!.GetValue<string>());
        Assert.Equal(1, site["version"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("Central Standard Time")] // a Windows id: .NET finds it, but it is not an IANA id
    [InlineData("+05:00")]
    public void InvalidZone_StopsTheApiAtStartWithAMessageNamingTheSetting(string zone)
    {
        using var factory = new SettingsFactory(new() { [DatabaseSetup.DefaultSiteTimeZoneKey] = zone });

        var error = Assert.ThrowsAny<InvalidOperationException>(() => factory.CreateClient());

        Assert.Contains("Sites:DefaultTimeZone", error.Message, StringComparison.Ordinal);
    }

    private sealed class SettingsFactory(Dictionary<string, string?> settings) : ClinicApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => settings;
    }
}
