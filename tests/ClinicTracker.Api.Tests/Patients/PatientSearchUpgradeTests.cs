using System.Net;
using ClinicTracker.Api.Common;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Core.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ClinicTracker.Api.Tests.Patients;

/// <summary>
/// Upgrading a clinic whose patients were registered before the search-term table (migration PatientSearch): the
/// terms are made by the start-up backfill (DatabaseSetup.MigrateAsync), since SQL cannot fold accents the way the
/// API does; a second start finds nothing to do.
/// </summary>
public sealed class PatientSearchUpgradeTests
{
    [Fact]
    public async Task PatientsStoredBeforeTheTermTable_AreFoundAfterTheStartUpBackfill_WhichRunsOnce()
    {
        using var factory = new NotMigratedFactory();
        using (var scope = factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<ClinicDbContext>().GetInfrastructure().GetRequiredService<IMigrator>().MigrateAsync("Sites");
        }

        var (patient, mrn) = (Guid.NewGuid(), "OLD-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant());
        var postgres = factory.Database.Provider == "postgres";
        var id = postgres ? $"'{patient}'" : $"'{patient.ToString().ToUpperInvariant()}'";
        var at = postgres ? "'2026-06-01 09:00:00+00'" : "'2026-06-01 09:00:00'";
        await factory.Database.ExecuteAsync($"""
            INSERT INTO patients ("Id", "Mrn", "MrnNormalized", "GivenName", "FamilyName", "SortName", "DateOfBirth", "Sex", "Diagnosis", "ArchivedAt", "ArchivedBy", "CreatedAt", "CreatedBy", "UpdatedAt", "UpdatedBy", "Version", "HomeSiteId")
            VALUES ({id}, '{mrn.ToLowerInvariant()}', '{mrn}', 'José', 'Müller-Lüdenscheidt', 'MÜLLER-LÜDENSCHEIDT JOSÉ', '1980-12-10', 'Male', NULL, NULL, NULL, {at}, 'fd', {at}, 'fd', 1,
                    '00000000-0000-0000-0000-000000000001');
            """);

        await DatabaseSetup.MigrateAsync(factory.Services);
        await DatabaseSetup.MigrateAsync(factory.Services);

        // By MRN, by the family name and its parts, by the given name: the terms were made once, however often the API starts.
        var frontDesk = factory.ClientFor("fd.upgrade", "front-desk");
        foreach (var search in new[] { mrn[..6].ToLowerInvariant(), "muller jose", "ludensch", "MÜLLER-LÜD" })
        {
            var page = await (await frontDesk.GetAsync($"/api/v1/patients?search={Uri.EscapeDataString(search)}").EnsureStatus(HttpStatusCode.OK)).ReadObject();
            Assert.Equal(patient, Assert.Single(page["items"]!.AsArray())!["id"]!.GetValue<Guid>());
        }

        // OLD-…, MULLER-LUDENSCHEIDT, MULLER, LUDENSCHEIDT, JOSE.
        Assert.Equal(5L, Convert.ToInt64(await factory.Database.ScalarAsync("SELECT COUNT(*) FROM patient_search_terms"), System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed class NotMigratedFactory : ClinicApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" };
    }
}
