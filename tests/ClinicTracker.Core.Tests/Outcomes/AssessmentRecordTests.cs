using ClinicTracker.Core.Outcomes;

namespace ClinicTracker.Core.Tests.Outcomes;

/// <summary>The assessment and safety-flag records of domain.md §7–§8: scored once, voided or acknowledged once.</summary>
public sealed class AssessmentRecordTests
{
    private static readonly DateTime Now = new(2026, 10, 2, 15, 30, 0, DateTimeKind.Utc);

    [Fact]
    public void Record_ScoresTheAnswers()
    {
        // 2+1+1+2+1+1+1+1+0 = 10: PHQ-9 10–14 is moderate.
        var assessment = Assessment.Record(Guid.NewGuid(), Instrument.Phq9, [2, 1, 1, 2, 1, 1, 1, 1, 0], Now.AddHours(-1), "nurse.garcia", Now);

        Assert.Equal(10, assessment.Total);
        Assert.Equal(AssessmentBands.Moderate, assessment.Band);
        Assert.Equal(AssessmentStatus.Completed, assessment.Status);
        Assert.Null(SafetyFlag.RaisedBy(assessment, Now));
    }

    [Fact]
    public void Phq9Item9AboveZero_RaisesAnOpenFlagWithItsScore_MadrsNever()
    {
        var patientId = Guid.NewGuid();
        var phq9 = Assessment.Record(patientId, Instrument.Phq9, [0, 0, 0, 0, 0, 0, 0, 0, 2], Now, "nurse.garcia", Now);
        var madrs = Assessment.Record(patientId, Instrument.Madrs, [6, 6, 6, 6, 6, 6, 6, 6, 6, 6], Now, "dr.okafor", Now);

        var flag = SafetyFlag.RaisedBy(phq9, Now);

        Assert.NotNull(flag);
        Assert.Equal((patientId, phq9.Id, 2, SafetyFlag.Phq9Item9Reason, SafetyFlagStatus.Open),
            (flag.PatientId, flag.AssessmentId, flag.Item9Score, flag.Reason, flag.Status));
        Assert.Null(SafetyFlag.RaisedBy(madrs, Now));
    }

    [Fact]
    public void Acknowledge_RecordsWhoWhenAndAction_AndOnlyOnce()
    {
        var phq9 = Assessment.Record(Guid.NewGuid(), Instrument.Phq9, [0, 0, 0, 0, 0, 0, 0, 0, 1], Now, "nurse.garcia", Now);
        var flag = SafetyFlag.RaisedBy(phq9, Now)!;

        Assert.Null(flag.Acknowledge("  Safety plan reviewed.  ", "dr.okafor", Now.AddMinutes(5)));
        var again = flag.Acknowledge("Again", "dr.other", Now.AddMinutes(9));

        Assert.Equal((SafetyFlagStatus.Acknowledged, "dr.okafor", Now.AddMinutes(5), "Safety plan reviewed."),
            (flag.Status, flag.AcknowledgedBy, flag.AcknowledgedAt, flag.ActionTaken));
        Assert.Equal("safety-flag.already-acknowledged", again?.Code);
    }

    [Fact]
    public void Void_MarksEnteredInError_AndOnlyOnce()
    {
        var assessment = Assessment.Record(Guid.NewGuid(), Instrument.Madrs, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], Now, "dr.okafor", Now);

        Assert.Null(assessment.Void("Wrong patient", "dr.okafor", Now.AddMinutes(1)));
        var again = assessment.Void("Again", "dr.okafor", Now.AddMinutes(2));

        Assert.Equal((AssessmentStatus.EnteredInError, "Wrong patient", "dr.okafor"), (assessment.Status, assessment.VoidReason, assessment.VoidedBy));
        Assert.Equal("assessment.already-voided", again?.Code);
    }
}
