using System.Reflection;
using ClinicTracker.Core.Exports;
using ClinicTracker.Core.Sites;

namespace ClinicTracker.Core.Tests.Exports;

public sealed class ExportJobTests
{
    private static readonly DateTime Now = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    private static ExportJob Job(SiteScope scope, string owner = "int.ehr", IReadOnlySet<string>? types = null) => ExportJob.Queue(
        new ExportRequest(owner, "integrator", scope, "https://ct.example/fhir/r4/Patient/$export", "/fhir/r4/Patient/$export",
            Group: null, types, Since: null, "application/fhir+ndjson", PatientsTotal: 3), Now);

    [Fact]
    public void Groups_AreTheClinic_AndEachPlanTypeTheRecordAllows()
    {
        // domain.md §2: racemic ketamine by every route, esketamine only intranasally (Spravato) — five plan types.
        Assert.Equal(
            ["clinic", "ketamine-intravenous", "ketamine-intranasal", "ketamine-oral", "ketamine-sublingual", "esketamine-intranasal"],
            ExportGroup.All.Select(g => g.Name));
        Assert.Same(ExportGroup.Clinic, ExportGroup.Find("clinic"));
        Assert.Null(ExportGroup.Find("esketamine-oral"));
        Assert.Null(ExportGroup.Find("Ketamine-Intravenous"));
        Assert.Null(ExportGroup.Find(null));
    }

    [Fact]
    public void TheScopeAtKickOff_IsKeptAsItWas()
    {
        var a = Guid.CreateVersion7();
        var b = Guid.CreateVersion7();

        Assert.Equal([a, b], Job(SiteScope.Of([a, b])).Scope.SiteIds);
        Assert.False(Job(SiteScope.Of([a, b])).Scope.AllSites);
        Assert.True(Job(SiteScope.Everything).Scope.AllSites);
        // A caller with no site exports nothing, and stays so: the empty list is not "every site".
        Assert.False(Job(SiteScope.None).Scope.AllSites);
        Assert.Empty(Job(SiteScope.None).Scope.SiteIds);
    }

    [Fact]
    public void Types_AreKeptSorted_AndNoneMeansEvery()
    {
        var job = Job(SiteScope.Everything, types: new HashSet<string> { "Observation", "Patient" });

        Assert.Equal("Observation,Patient", job.Types);
        Assert.Equal(["Observation", "Patient"], job.TypeSet!.Order());
        Assert.Null(Job(SiteScope.Everything).TypeSet);
    }

    [Fact]
    public void AJob_IsVisibleToItsOwnerAlone_InAnyCase_UntilItExpiresOrIsCancelled()
    {
        var job = Job(SiteScope.Everything);

        Assert.Equal(ExportStatus.Queued, job.Status);
        Assert.Equal(1, job.Version);
        Assert.True(job.IsVisibleTo("int.ehr", Now));
        // The staff register compares user names trimmed and case-insensitive (SearchText.Normalize).
        Assert.True(job.IsVisibleTo(" INT.EHR ", Now));
        Assert.False(job.IsVisibleTo("int.other", Now));

        // Expiry: visible up to the instant before, not at it.
        Set(job, nameof(ExportJob.ExpiresAt), (DateTime?)Now.AddHours(24));
        Assert.True(job.IsVisibleTo("int.ehr", Now.AddHours(24).AddTicks(-1)));
        Assert.False(job.IsVisibleTo("int.ehr", Now.AddHours(24)));

        Set(job, nameof(ExportJob.ExpiresAt), null);
        Set(job, nameof(ExportJob.Status), ExportStatus.Cancelled);
        Assert.False(job.IsVisibleTo("int.ehr", Now));
    }

    /// <summary>The worker and the cancel change these columns in SQL (ExecuteUpdate); a test sets them the same way, by value.</summary>
    private static void Set(ExportJob job, string property, object? value) =>
        typeof(ExportJob).GetProperty(property, BindingFlags.Public | BindingFlags.Instance)!.SetValue(job, value);
}
