using System.Globalization;
using System.Net;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.ScaleOut;

/// <summary>
/// The main reads hand their audit row the patient and site of the record they have just read (issue 11): the row
/// makes no lookup of its own, and still names the right patient and site. A refused look is still looked up.
/// </summary>
public sealed class AuditedReadLookupTests(CommandCapturingFactory factory) : IClassFixture<CommandCapturingFactory>
{
    private readonly TreatmentData data = new(factory);

    [Fact]
    public async Task MainReads_MakeNoAuditLookup_AndTheirRowsNameThePatientAndSite()
    {
        var (patientId, planId, sessionId) = await data.CheckedInSession();
        foreach (var url in new[]
        {
            $"/api/v1/patients/{patientId}", $"/api/v1/patients/{patientId}/sessions", $"/api/v1/sessions/{sessionId}",
            $"/api/v1/plans/{planId}/adherence",
        })
        {
            factory.Commands.Clear();
            var response = await data.Nurse.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            // Record keeping's tagged lookups: the staff register only (domain.md §9), not the record again.
            var lookups = factory.Commands.Where(c => c.Sql.StartsWith("-- record-keeping", StringComparison.Ordinal) && !c.Reads("clinicians")).ToList();
            Assert.True(lookups.Count == 0, url + ": " + string.Join("\n", lookups.Select(c => c.Sql)));
        }

        // Each of the four reads left a row with the patient and the default site (the plan's and the session's site).
        var rows = Convert.ToInt64(await factory.Database.ScalarAsync($"""
            SELECT COUNT(*) FROM audit_entries
            WHERE "PatientId" = '{patientId.ToString("D").ToUpperInvariant()}' AND "SiteId" = '00000000-0000-0000-0000-000000000001'
              AND "Method" = 'GET' AND "Status" = 200
            """), CultureInfo.InvariantCulture);
        Assert.Equal(4, rows);
    }

    [Fact]
    public async Task ARefusedLook_IsStillLookedUp_AndAuditedWithTheRecordsPatient()
    {
        var (patientId, _, sessionId) = await data.CheckedInSession();
        // Another site's nurse: the session is not visible there (404), and the row still names whose record it was.
        var elsewhere = await SiteData.Create(factory.ClientFor("audit.lookup.admin", "admin"), "Lookup");
        var stranger = factory.ClientAt("audit.lookup.nurse", "nurse", elsewhere);

        var response = await stranger.GetAsync($"/api/v1/sessions/{sessionId}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var rows = Convert.ToInt64(await factory.Database.ScalarAsync($"""
            SELECT COUNT(*) FROM audit_entries
            WHERE "PatientId" = '{patientId.ToString("D").ToUpperInvariant()}' AND "UserName" = 'audit.lookup.nurse' AND "Status" = 404
            """), CultureInfo.InvariantCulture);
        Assert.Equal(1, rows);
    }
}
