using ClinicTracker.Core.Plans;
using Hl7.Fhir.Model;

namespace ClinicTracker.Fhir.Tests;

public class FhirMapperTests
{
    private static readonly FhirMapper Mapper = new(new FhirSystems("https://fhir.clinic.example/fhir/r4"),
        new FixedClock(new DateTimeOffset(SampleRecord.Start.AddDays(5))));

    private static readonly PatientRecord Record = SampleRecord.Build();

    private static List<Resource> All() => [.. Mapper.ToResources(Record)];

    [Fact]
    public void EveryProducedResource_ValidatesAgainstTheBaseSpecificationAndItsProfiles_WithZeroErrors()
    {
        var resources = All();
        // Every type the record maps to, each variant of the sample record among them.
        Assert.Equal(FhirMapper.RecordTypes.Order(), resources.Select(r => r.TypeName).Distinct().Order());
        Assert.Equal(1 + 3 + 9 + 5 + 6 + 4 + 4 + 2, resources.Count);

        var errors = resources.SelectMany(FhirValidation.Errors).ToList();

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void TheOnlyWarning_IsTheClinicsOwnExtension_WhichTheValidatorCannotResolveOffline()
    {
        var warnings = All().SelectMany(FhirValidation.Warnings).Distinct().ToList();

        // The validator cannot resolve the clinic's own extension offline (its definition is in docs/fhir.md); nothing else.
        Assert.Equal(["Unable to resolve reference to extension 'https://fhir.clinic.example/fhir/r4/StructureDefinition/session-status'. at Encounter.extension[0]"],
            warnings);
    }

    [Fact]
    public void EveryProducedResource_SurvivesAStrictRoundTripThroughTheFirelyParser()
    {
        foreach (var resource in All())
        {
            var json = FhirJson.Serialize(resource);
            var parsed = FhirJson.Parse<Resource>(json);
            Assert.Equal(resource.TypeName, parsed.TypeName);
            Assert.Equal(json, FhirJson.Serialize(parsed));
            Assert.True(resource.IsExactly(parsed), $"{resource.TypeName}/{resource.Id} changed in the round trip");
        }
    }

    [Fact]
    public void TheValidatorItself_RejectsAWrongResource_SoAnEmptyErrorListMeansSomething()
    {
        var wrong = (Hl7.Fhir.Model.Observation)Mapper.ToObservation(Record.Observations[1]).DeepCopy();
        wrong.Code = new CodeableConcept(FhirSystems.Loinc, "8310-5"); // body temperature, against the heart-rate profile
        wrong.Value = new Quantity(74, "Cel");

        Assert.NotEmpty(FhirValidation.Errors(wrong));
        Assert.NotEmpty(FhirValidation.Errors(new MedicationAdministration { Id = "x" }));
    }

    [Fact]
    public void Patient_HasTheMrnOfTheClinicsSystem_NameBirthDateAndGender()
    {
        var patient = Mapper.ToPatient(Record.Patient);

        var mrn = Assert.Single(patient.Identifier);
        Assert.Equal("https://fhir.clinic.example/fhir/r4/sid/mrn", mrn.System);
        Assert.Equal("MRN-1001", mrn.Value);
        Assert.Equal("MR", mrn.Type.Coding[0].Code);
        Assert.Equal("Müller", patient.Name[0].Family);
        Assert.Equal(["Ana"], patient.Name[0].Given);
        Assert.Equal("1971-05-04", patient.BirthDate);
        Assert.Equal(AdministrativeGender.Female, patient.Gender);
        Assert.True(patient.Active);
        Assert.Equal("1", patient.Meta.VersionId);
    }

    [Fact]
    public void Infusion_HasItsPeriodRouteDoseAndRate_TheLotInTheContainedMedication_AndTheOverrideAsANote()
    {
        var infusion = Mapper.ToMedicationAdministration(Record.Doses[1]);

        Assert.Equal(MedicationAdministration.MedicationAdministrationStatusCodes.Completed, infusion.Status);
        var period = Assert.IsType<Period>(infusion.Effective);
        Assert.Equal("2026-03-02T14:10:00+00:00", period.Start);
        Assert.Equal("2026-03-02T14:50:00+00:00", period.End);
        Assert.Equal("47625008", infusion.Dosage.Route.Coding[0].Code);
        Assert.Equal("http://snomed.info/sct", infusion.Dosage.Route.Coding[0].System);
        Assert.Equal(35m, infusion.Dosage.Dose.Value);
        Assert.Equal("mg", infusion.Dosage.Dose.Code);
        // 35 mg over 40 min = 0.875 mg/min.
        var rate = Assert.IsType<Quantity>(infusion.Dosage.Rate);
        Assert.Equal(0.875m, rate.Value);
        Assert.Equal("mg/min", rate.Code);
        Assert.Equal("35 mg, 0.5 mg/kg at 70 kg, infused over 40 min (intravenous)", infusion.Dosage.Text);
        var medication = Assert.IsType<Medication>(Assert.Single(infusion.Contained));
        Assert.Equal("#" + medication.Id, ((ResourceReference)infusion.Medication).Reference);
        Assert.Equal("LOT-2026-07", medication.Batch.LotNumber);
        Assert.Equal($"Encounter/{Record.Sessions[1].Id}", infusion.Context.Reference);
        Assert.Equal("dr.lee", infusion.Performer[0].Actor.Identifier.Value);
        var note = Assert.Single(infusion.Note);
        Assert.Equal("Override of ketamine.iv.short-infusion: Tolerated well before", note.Text);
        Assert.Equal("dr.lee", ((FhirString)note.Author).Value);
    }

    [Fact]
    public void VoidedDose_IsEnteredInError_WithItsReason_AndItsReplacementSaysWhatItReplaces()
    {
        var voided = Mapper.ToMedicationAdministration(Record.Doses[2]);
        var replacement = Mapper.ToMedicationAdministration(Record.Doses[3]);

        Assert.Equal(MedicationAdministration.MedicationAdministrationStatusCodes.EnteredInError, voided.Status);
        Assert.Equal("Entered in error: Typed 53 instead of 35", Assert.Single(voided.Note).Text);
        Assert.Equal($"Replaces MedicationAdministration/{Record.Doses[2].Id}, entered in error.", Assert.Single(replacement.Note).Text);
    }

    [Fact]
    public void DeviceDose_IsAnInstantWithTheEsketamineRxNormCodes_AndNoRate()
    {
        var devices = Mapper.ToMedicationAdministration(Record.Doses[4]);

        Assert.IsType<FhirDateTime>(devices.Effective);
        Assert.Null(devices.Dosage.Rate);
        Assert.Equal("46713006", devices.Dosage.Route.Coding[0].Code);
        var code = ((Medication)devices.Contained[0]).Code;
        Assert.Equal(["2201623", "2201625"], code.Coding.Select(c => c.Code));
        Assert.All(code.Coding, c => Assert.Equal("http://www.nlm.nih.gov/research/umls/rxnorm", c.System));
        Assert.EndsWith("2 devices of 28 mg", devices.Dosage.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void RacemicKetamine_IsTextOnly_UntilItsRxNormCodeIsVerified()
    {
        var code = ((Medication)Mapper.ToMedicationAdministration(Record.Doses[0]).Contained[0]).Code;

        Assert.Empty(code.Coding);
        Assert.Equal("Ketamine hydrochloride (racemic)", code.Text);
    }

    [Theory]
    [InlineData(0, Encounter.EncounterStatus.Finished, "completed")] // the oral session
    [InlineData(3, Encounter.EncounterStatus.Planned, "scheduled")]
    [InlineData(4, Encounter.EncounterStatus.Arrived, "checked-in")]
    [InlineData(5, Encounter.EncounterStatus.Cancelled, "cancelled")]
    [InlineData(6, Encounter.EncounterStatus.Cancelled, "no-show")]
    [InlineData(7, Encounter.EncounterStatus.Finished, "held")]
    public void Encounter_StatusFollowsTheLifecycle_AndKeepsTheExactStatusInItsExtension(int index, Encounter.EncounterStatus status, string sessionStatus)
    {
        var encounter = Mapper.ToEncounter(Record.Sessions[index], Record.Patient.Diagnosis);

        Assert.Equal(status, encounter.Status);
        var extension = Assert.Single(encounter.Extension);
        Assert.Equal("https://fhir.clinic.example/fhir/r4/StructureDefinition/session-status", extension.Url);
        Assert.Equal(sessionStatus, ((Code)extension.Value).Value);
        Assert.Equal("TRD, MDD recurrent", encounter.ReasonCode[0].Text);
        Assert.Equal("AMB", encounter.Class.Code);
    }

    [Fact]
    public void Encounter_PeriodRunsFromCheckInToCompletion_OrStartsAtTheBookingWhileNoneHappened()
    {
        var completed = Mapper.ToEncounter(Record.Sessions[1], null);
        var planned = Mapper.ToEncounter(Record.Sessions[3], null);

        Assert.Equal("2026-03-02T14:00:00+00:00", completed.Period.Start);
        Assert.Equal("2026-03-02T16:00:00+00:00", completed.Period.End);
        Assert.Equal(["ADM", "DIS"], completed.Participant.Select(p => p.Type[0].Coding[0].Code));
        Assert.Equal("2026-03-06T14:00:00+00:00", planned.Period.Start);
        Assert.Null(planned.Period.End);
        Assert.Equal(FhirMapper.DefaultReason, planned.ReasonCode[0].Text);
    }

    [Fact]
    public void VitalSigns_UseTheProfilesLoincAndUcum()
    {
        var bp = Mapper.ToObservation(Record.Observations[0]);
        var heartRate = Mapper.ToObservation(Record.Observations[1]);
        var spo2 = Mapper.ToObservation(Record.Observations[2]);
        var voided = Mapper.ToObservation(Record.Observations[3]);

        Assert.Equal([FhirSystems.BloodPressureProfile], bp.Meta.Profile);
        Assert.Equal("85354-9", bp.Code.Coding[0].Code);
        Assert.Equal(["8480-6", "8462-4"], bp.Component.Select(c => c.Code.Coding[0].Code));
        Assert.Equal([128m, 82m], bp.Component.Select(c => ((Quantity)c.Value).Value!.Value));
        Assert.All(bp.Component, c => Assert.Equal("mm[Hg]", ((Quantity)c.Value).Code));
        Assert.Equal("vital-signs", bp.Category[0].Coding[0].Code);
        Assert.Equal("8867-4", heartRate.Code.Coding[0].Code);
        Assert.Equal("/min", ((Quantity)heartRate.Value).Code);
        Assert.Equal(["2708-6", "59408-5"], spo2.Code.Coding.Select(c => c.Code));
        Assert.Equal("%", ((Quantity)spo2.Value).Code);
        Assert.Equal(ObservationStatus.EnteredInError, voided.Status);
        Assert.Equal($"Encounter/{Record.Sessions[1].Id}", bp.Encounter.Reference);
    }

    [Fact]
    public void CadssAndMoaas_UseTheClinicsLocalCodeSystem_AsSurveyAndExam()
    {
        var cadss = Mapper.ToObservation(Record.Observations[4]);
        var moaas = Mapper.ToObservation(Record.Observations[5]);

        Assert.Equal(("https://fhir.clinic.example/fhir/r4/CodeSystem/observation", "cadss"), (cadss.Code.Coding[0].System, cadss.Code.Coding[0].Code));
        Assert.Equal("survey", cadss.Category[0].Coding[0].Code);
        Assert.Equal(12, ((Integer)cadss.Value).Value);
        Assert.Equal("moaas", moaas.Code.Coding[0].Code);
        Assert.Equal("exam", moaas.Category[0].Coding[0].Code);
    }

    [Fact]
    public void Phq9_IsTheLoincTotal_WithEachItemAnsweredByItsLoincAnswerCode()
    {
        var baseline = Mapper.ToObservation(Record.Assessments[0]);

        Assert.Equal("44261-6", baseline.Code.Coding[0].Code);
        Assert.Equal(17, ((Integer)baseline.Value).Value); // 3+3+2+2+1+2+2+1+1
        Assert.Equal(FhirCodes.Phq9Items, baseline.Component.Select(c => c.Code.Coding[0].Code));
        Assert.Equal("44260-8", baseline.Component[8].Code.Coding[0].Code);
        Assert.Equal(["LA6571-9", "LA6571-9", "LA6570-1", "LA6570-1", "LA6569-3", "LA6570-1", "LA6570-1", "LA6569-3", "LA6569-3"],
            baseline.Component.Select(c => ((CodeableConcept)c.Value).Coding[0].Code));
        Assert.Equal($"QuestionnaireResponse/{Record.Assessments[0].Id}", baseline.DerivedFrom[0].Reference);
        Assert.Equal(ObservationStatus.EnteredInError, Mapper.ToObservation(Record.Assessments[1]).Status);
    }

    [Fact]
    public void Madrs_UsesLocalCodes_AndItsQuestionnaireResponseHasIntegerAnswers()
    {
        var madrs = Mapper.ToObservation(Record.Assessments[3]);
        var response = Mapper.ToQuestionnaireResponse(Record.Assessments[3]);

        Assert.Equal("madrs-total", madrs.Code.Coding[0].Code);
        Assert.Equal(27, ((Integer)madrs.Value).Value); // 4+3+4+2+2+3+3+2+3+1
        Assert.Equal("madrs-item-10", madrs.Component[9].Code.Coding[0].Code);
        Assert.Equal("https://fhir.clinic.example/fhir/r4/Questionnaire/madrs", response.Questionnaire);
        Assert.Equal(11, response.Item.Count);
        Assert.Equal(1, ((Integer)response.Item[9].Answer[0].Value).Value);
        Assert.Equal(27, ((Integer)response.Item[10].Answer[0].Value).Value);
    }

    [Fact]
    public void Phq9QuestionnaireResponse_LinksToLoincsForm_AndAnswersWithLoincCodings()
    {
        var response = Mapper.ToQuestionnaireResponse(Record.Assessments[0]);

        Assert.Equal("http://loinc.org/q/44249-1", response.Questionnaire);
        Assert.Equal([.. FhirCodes.Phq9Items, "44261-6"], response.Item.Select(i => i.LinkId));
        Assert.Equal("LA6569-3", ((Coding)response.Item[8].Answer[0].Value).Code);
        Assert.Equal($"Patient/{Record.Patient.Id}", response.Source.Reference);
        Assert.Equal(QuestionnaireResponse.QuestionnaireResponseStatus.EnteredInError, Mapper.ToQuestionnaireResponse(Record.Assessments[1]).Status);
    }

    [Fact]
    public void CarePlan_HasOneActivityPerPhase_WithItsTiming_AndDiscontinuedIsRevokedWithItsReason()
    {
        var iv = Mapper.ToCarePlan(Record.Plans[1]);
        var esketamine = Mapper.ToCarePlan(Record.Plans[2]);
        var oral = Mapper.ToCarePlan(Record.Plans[0]);

        Assert.Equal(RequestStatus.Active, iv.Status);
        var induction = Assert.Single(iv.Activity).Detail;
        var repeat = ((Timing)induction.Scheduled).Repeat;
        // iv-induction: 6 sessions on Mon/Wed/Fri from Monday 2 March: the 2nd to the 13th.
        Assert.Equal(6, repeat.Count);
        Assert.Equal([DaysOfWeek.Mon, DaysOfWeek.Wed, DaysOfWeek.Fri], repeat.DayOfWeek.Select(d => d!.Value));
        Assert.Equal(("2026-03-02", "2026-03-13"), (((Period)repeat.Bounds).Start, ((Period)repeat.Bounds).End));
        Assert.Equal(CarePlan.CarePlanActivityStatus.InProgress, induction.Status); // today is 7 March
        Assert.Equal(RequestStatus.Revoked, esketamine.Status);
        Assert.Equal(2, esketamine.Activity.Count);
        Assert.Equal(56m, esketamine.Activity[0].Detail.DailyAmount.Value);
        Assert.Equal(7, ((Timing)esketamine.Activity[1].Detail.Scheduled).Repeat.Period);
        Assert.Equal(CarePlan.CarePlanActivityStatus.Stopped, esketamine.Activity[0].Detail.Status);
        Assert.StartsWith("Discontinued: Patient moved away", esketamine.Note[0].Text, StringComparison.Ordinal);
        Assert.Equal(RequestStatus.Completed, oral.Status);
    }

    [Theory]
    [InlineData(PlanStatus.Active, "2026-03-10", "2026-03-20", "2026-03-07", CarePlan.CarePlanActivityStatus.Scheduled)]
    [InlineData(PlanStatus.Active, "2026-03-01", "2026-03-20", "2026-03-07", CarePlan.CarePlanActivityStatus.InProgress)]
    [InlineData(PlanStatus.Active, "2026-03-01", "2026-03-20", "2026-03-20", CarePlan.CarePlanActivityStatus.InProgress)]
    [InlineData(PlanStatus.Active, "2026-03-01", "2026-03-06", "2026-03-07", CarePlan.CarePlanActivityStatus.Completed)]
    [InlineData(PlanStatus.Discontinued, "2026-03-10", "2026-03-20", "2026-03-07", CarePlan.CarePlanActivityStatus.Stopped)]
    [InlineData(PlanStatus.Completed, "2026-03-10", "2026-03-20", "2026-03-07", CarePlan.CarePlanActivityStatus.Completed)]
    public void ActivityStatus_FollowsThePlanAndThePhasesDates(PlanStatus plan, string first, string last, string today, CarePlan.CarePlanActivityStatus expected) =>
        Assert.Equal(expected, FhirMapper.ActivityStatus(plan, DateOnly.Parse(first), DateOnly.Parse(last), DateOnly.Parse(today)));

    [Fact]
    public void AdverseEvent_MapsSeverityAndSeriousness_TheStandingDosesAsSuspects_AndTheDescriptionAsNarrative()
    {
        var events = Mapper.ToResources(Record, new HashSet<string> { "AdverseEvent" }).Cast<AdverseEvent>().ToList();

        var dizziness = events[0];
        Assert.Equal("dizziness", dizziness.Event.Coding[0].Code);
        Assert.Equal("mild", dizziness.Severity.Coding[0].Code);
        Assert.Equal("non-serious", dizziness.Seriousness.Coding[0].Code);
        Assert.Equal("resolved", dizziness.Outcome.Coding[0].Code);
        Assert.Equal([$"MedicationAdministration/{Record.Doses[1].Id}"], dizziness.SuspectEntity.Select(s => s.Instance.Reference));
        Assert.Contains("Brief &lt;dizziness&gt; &amp; nausea", dizziness.Text.Div, StringComparison.Ordinal);
        var other = events[1];
        Assert.Equal("Tinnitus", other.Event.Text);
        Assert.Equal(("severe", "serious", "ongoing"), (other.Severity.Coding[0].Code, other.Seriousness.Coding[0].Code, other.Outcome.Coding[0].Code));
        // Only the replacement stands in that session; the voided dose is no suspect.
        Assert.Equal([$"MedicationAdministration/{Record.Doses[3].Id}"], other.SuspectEntity.Select(s => s.Instance.Reference));
    }

    [Fact]
    public void TypesAndSince_SelectWhatIsExported()
    {
        var since = new DateTimeOffset(SampleRecord.Start.AddDays(13));

        var changed = Mapper.ToResources(Record, new HashSet<string> { "Observation", "QuestionnaireResponse" }, since).ToList();

        // Only the PHQ-9 of day 14, as its Observation and its QuestionnaireResponse.
        Assert.Equal(["Observation", "QuestionnaireResponse"], changed.Select(r => r.TypeName));
        Assert.All(changed, r => Assert.Equal(Record.Assessments[2].Id.ToString(), r.Id));
    }
}

/// <summary>A clock that always says the same instant.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
