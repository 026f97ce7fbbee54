using ClinicTracker.Core.Patients;
using ClinicTracker.Core.Sites;

namespace ClinicTracker.Core.Tests.Patients;

public sealed class PatientTests
{
    private static readonly DateTime Now = new(2026, 11, 27, 9, 30, 0, DateTimeKind.Utc);

    [Fact]
    public void Register_TrimsInput_AndKeepsUpperCasedSearchKeys()
    {
        var patient = Patient.Register(new PatientDemographics(" mrn-7 ", " Ada ", " Lovelace ", new DateOnly(1980, 12, 10), Sex.Female, "  "), Site.DefaultId, "fd.jones", Now);

        Assert.Equal("mrn-7", patient.Mrn);
        Assert.Equal("MRN-7", patient.MrnNormalized);
        Assert.Equal("LOVELACE ADA", patient.SortName);
        Assert.Null(patient.Diagnosis);
        Assert.Equal(1, patient.Version);
        Assert.Equal("fd.jones", patient.CreatedBy);
    }

    [Fact]
    public void UpdateAndArchive_EachBumpTheVersion_AndRecordWhoAndWhen()
    {
        var patient = Patient.Register(new PatientDemographics("M-1", "Ada", "Lovelace", new DateOnly(1980, 12, 10), Sex.Female, null), Site.DefaultId, "fd.jones", Now);

        patient.Update(new PatientDemographics("M-1", "Augusta", "King", new DateOnly(1980, 12, 10), Sex.Female, "TRD"), "nurse.kim", Now.AddHours(1));
        patient.Archive("nurse.kim", Now.AddHours(2));

        Assert.Equal(3, patient.Version);
        Assert.Equal("KING AUGUSTA", patient.SortName);
        Assert.True(patient.IsArchived);
        Assert.Equal(Now.AddHours(2), patient.ArchivedAt);
        Assert.Equal("nurse.kim", patient.UpdatedBy);
    }
}
