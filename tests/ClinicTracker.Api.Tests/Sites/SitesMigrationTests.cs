using System.Net;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ClinicTracker.Api.Tests.Sites;

/// <summary>
/// Upgrading a clinic that existed before sites (domain.md §14: "a single clinic runs with the one default site and
/// notices nothing"): a database at the migration before <c>Sites</c>, with a registered nurse, a patient and
/// plans, is migrated; everything is then at the default site, whose zone is the one most plans used, and the
/// nurse reads the patient as before.
/// </summary>
public sealed class SitesMigrationTests
{
    private const string DefaultSite = "00000000-0000-0000-0000-000000000001";

    [Fact]
    public async Task ExistingRecordsAndStaff_MoveToTheDefaultSite_WithTheClinicsOwnZone()
    {
        using var factory = new NotMigratedFactory();
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
            await db.GetInfrastructure().GetRequiredService<IMigrator>().MigrateAsync("AuditChains");
        }

        var (patient, nurse) = (Guid.NewGuid(), Guid.NewGuid());
        var postgres = factory.Database.Provider == "postgres";
        string Id(Guid id) => postgres ? $"'{id}'" : $"'{id.ToString().ToUpperInvariant()}'";
        var (yes, at) = (postgres ? "true" : "1", postgres ? "'2026-06-01 09:00:00+00'" : "'2026-06-01 09:00:00'");
        await factory.Database.ExecuteAsync($"""
            INSERT INTO clinicians ("Id", "UserName", "UserNameNormalized", "DisplayName", "Role", "RegistrationNumber", "Active", "CreatedAt", "CreatedBy", "UpdatedAt", "UpdatedBy", "Version")
            VALUES ({Id(nurse)}, 'legacy.nurse', 'LEGACY.NURSE', 'Legacy Nurse', 'Nurse', NULL, {yes}, {at}, 'admin', {at}, 'admin', 1);
            INSERT INTO patients ("Id", "Mrn", "MrnNormalized", "GivenName", "FamilyName", "SortName", "DateOfBirth", "Sex", "Diagnosis", "ArchivedAt", "ArchivedBy", "CreatedAt", "CreatedBy", "UpdatedAt", "UpdatedBy", "Version")
            VALUES ({Id(patient)}, 'OLD-1', 'OLD-1', 'Ada', 'Lovelace', 'LOVELACE ADA', '1980-12-10', 'Female', NULL, NULL, NULL, {at}, 'fd', {at}, 'fd', 1);
            """);
        // Two plans in London, one in New York: the clinic's zone is London.
        foreach (var zone in new[] { "Europe/London", "America/New_York", "Europe/London" })
        {
            await factory.Database.ExecuteAsync($"""
                INSERT INTO treatment_plans ("Id", "PatientId", "Medication", "Route", "StartDate", "TimeZone", "ToleranceDays", "Template", "Phases", "TargetDoseMg", "TargetDoseMgPerKg", "Status", "CreatedAt", "CreatedBy", "Version")
                VALUES ({Id(Guid.CreateVersion7())}, {Id(patient)}, 'Ketamine', 'Intravenous', '2026-06-01', '{zone}', 1, NULL, '[{"{"}"name":"induction","sessions":6,"everyDays":2{"}"}]', NULL, 0.5, 'Active', {at}, 'dr', 1);
                """);
        }

        using (var scope = factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<ClinicDbContext>().Database.MigrateAsync();
        }

        var admin = factory.ClientFor("upgrade.admin", "admin");
        var site = await (await admin.GetAsync($"/api/v1/sites/{DefaultSite}").EnsureStatus(HttpStatusCode.OK)).ReadObject();
        Assert.Equal(("Main site", "Europe/London", true), (site["name"]!.GetValue<string>(), site["timeZone"]!.GetValue<string>(), site["active"]!.GetValue<bool>()));

        var registered = await (await admin.GetAsync($"/api/v1/clinicians/{nurse}").EnsureStatus(HttpStatusCode.OK)).ReadObject();
        Assert.Equal(DefaultSite, Assert.Single(registered["sites"]!.AsArray())!.GetValue<string>());

        // The nurse registered before sites reads the patient and the plans as before, all at the default site.
        var legacyNurse = factory.UnregisteredClientFor("legacy.nurse", "nurse");
        var read = await (await legacyNurse.GetAsync($"/api/v1/patients/{patient}").EnsureStatus(HttpStatusCode.OK)).ReadObject();
        Assert.Equal(DefaultSite, read["homeSiteId"]!.GetValue<string>());
        var plans = (await (await legacyNurse.GetAsync($"/api/v1/patients/{patient}/plans").EnsureStatus(HttpStatusCode.OK)).ReadObject())["items"]!.AsArray();
        Assert.Equal(3, plans.Count);
        Assert.All(plans, p => Assert.Equal(DefaultSite, p!["siteId"]!.GetValue<string>()));
    }

    private sealed class NotMigratedFactory : ClinicApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" };
    }
}
