using ClinicTracker.Core.Dosing;

namespace ClinicTracker.Core.Tests.Dosing;

public sealed class MedicationRoutesTests
{
    [Theory]
    // domain.md §2 route table.
    [InlineData(AdministrationRoute.Intravenous, "47625008")]
    [InlineData(AdministrationRoute.Intranasal, "46713006")]
    [InlineData(AdministrationRoute.Oral, "26643006")]
    [InlineData(AdministrationRoute.Sublingual, "37839007")]
    public void SnomedCode_IsTheDomainCode(AdministrationRoute route, string code)
    {
        Assert.Equal(code, MedicationRoutes.SnomedCode(route));
    }

    [Theory]
    [InlineData(Medication.Ketamine, AdministrationRoute.Intravenous, true)]
    [InlineData(Medication.Ketamine, AdministrationRoute.Intranasal, true)]
    [InlineData(Medication.Ketamine, AdministrationRoute.Oral, true)]
    [InlineData(Medication.Ketamine, AdministrationRoute.Sublingual, true)]
    // Esketamine is only given intranasally (Spravato label).
    [InlineData(Medication.Esketamine, AdministrationRoute.Intranasal, true)]
    [InlineData(Medication.Esketamine, AdministrationRoute.Intravenous, false)]
    [InlineData(Medication.Esketamine, AdministrationRoute.Oral, false)]
    [InlineData(Medication.Esketamine, AdministrationRoute.Sublingual, false)]
    [InlineData((Medication)9, AdministrationRoute.Oral, false)]
    public void IsAllowed_FollowsTheLimitsTable(Medication medication, AdministrationRoute route, bool allowed)
    {
        Assert.Equal(allowed, MedicationRoutes.IsAllowed(medication, route));
    }
}
