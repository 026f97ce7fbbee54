using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Outcomes;
using Hl7.Fhir.Model;
using CoreObservation = ClinicTracker.Core.Monitoring.Observation;
using Observation = Hl7.Fhir.Model.Observation;

namespace ClinicTracker.Fhir;

public sealed partial class FhirMapper
{
    public const string VitalSigns = "vital-signs";
    public const string Survey = "survey";
    public const string Exam = "exam";

    /// <summary>
    /// A monitoring observation (domain.md §5): BP, heart rate and SpO2 as the base specification's vital-signs
    /// profiles (LOINC, UCUM); CADSS (a clinician-administered scale: survey) and MOAA/S (an observed sedation
    /// score: exam) with the clinic's local codes. A voided observation is entered-in-error with its reason.
    /// </summary>
    public Observation ToObservation(CoreObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var result = new Observation
        {
            Id = Id(observation.Id),
            Meta = Meta(observation.VoidedAt ?? observation.RecordedAt, version: null),
            Status = observation.Voided ? ObservationStatus.EnteredInError : ObservationStatus.Final,
            Subject = PatientReference(observation.PatientId),
            Encounter = EncounterReference(observation.SessionId),
            Effective = Instant(observation.ObservedAt),
            Issued = Utc(observation.RecordedAt),
            Performer = [Staff(observation.RecordedBy)],
        };
        switch (observation.Kind)
        {
            case ObservationKind.BloodPressure:
                Vital(result, FhirSystems.BloodPressureProfile, Loinc(FhirCodes.BloodPressurePanel, "Blood pressure panel with all children optional"));
                result.Component =
                [
                    new Observation.ComponentComponent { Code = Loinc(FhirCodes.Systolic, "Systolic blood pressure"), Value = Ucum(observation.Systolic ?? 0, "mm[Hg]", "mmHg") },
                    new Observation.ComponentComponent { Code = Loinc(FhirCodes.Diastolic, "Diastolic blood pressure"), Value = Ucum(observation.Diastolic ?? 0, "mm[Hg]", "mmHg") },
                ];
                break;
            case ObservationKind.HeartRate:
                Vital(result, FhirSystems.HeartRateProfile, Loinc(FhirCodes.HeartRate, "Heart rate"));
                result.Value = Ucum(observation.Value ?? 0, "/min", "beats/minute");
                break;
            case ObservationKind.Spo2:
                Vital(result, FhirSystems.OxygenSaturationProfile, new CodeableConcept
                {
                    Coding =
                    [
                        new Coding(FhirSystems.Loinc, FhirCodes.OxygenSaturation, "Oxygen saturation in Arterial blood"),
                        new Coding(FhirSystems.Loinc, FhirCodes.OxygenSaturationByPulseOximetry, "Oxygen saturation in Arterial blood by Pulse oximetry"),
                    ],
                    Text = "SpO2",
                });
                result.Value = Ucum(observation.Value ?? 0, "%");
                break;
            case ObservationKind.Cadss:
                result.Category = [Category(Survey)];
                result.Code = Local(FhirCodes.CadssCode, "Clinician-Administered Dissociative States Scale total");
                result.Value = new Integer(observation.Value);
                break;
            default:
                result.Category = [Category(Exam)];
                result.Code = Local(FhirCodes.MoaasCode, "Modified Observer's Assessment of Alertness/Sedation score");
                result.Value = new Integer(observation.Value);
                break;
        }

        AddVoidNote(result.Note, observation.VoidReason, observation.VoidedBy, observation.VoidedAt);

        return result;
    }

    /// <summary>
    /// An assessment (domain.md §7) as a survey Observation: PHQ-9 as LOINC 44261-6 with each item a component
    /// (44250-9 … 44260-8) answered with its LOINC answer code; MADRS with the clinic's local codes (no LOINC code is
    /// confirmed). The total is the server's sum; the item answers are also a <see cref="ToQuestionnaireResponse"/>.
    /// </summary>
    public Observation ToObservation(Assessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var phq9 = assessment.Instrument == Instrument.Phq9;
        var result = new Observation
        {
            Id = Id(assessment.Id),
            Meta = Meta(assessment.VoidedAt ?? assessment.RecordedAt, version: null),
            Status = assessment.Status == AssessmentStatus.EnteredInError ? ObservationStatus.EnteredInError : ObservationStatus.Final,
            Category = [Category(Survey)],
            Code = phq9
                ? Loinc(FhirCodes.Phq9Total, "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]")
                : Local(FhirCodes.LocalTotalCode(Instrument.Madrs), "Montgomery-Asberg Depression Rating Scale total score"),
            Subject = PatientReference(assessment.PatientId),
            Effective = Instant(assessment.AssessedAt),
            Issued = Utc(assessment.RecordedAt),
            Performer = [Staff(assessment.RecordedBy)],
            Value = new Integer(assessment.Total),
            Interpretation = [new CodeableConcept { Text = assessment.Band }],
            DerivedFrom = [new ResourceReference($"QuestionnaireResponse/{Id(assessment.Id)}")],
        };
        for (var i = 0; i < assessment.Items.Count; i++)
        {
            result.Component.Add(phq9
                ? new Observation.ComponentComponent { Code = Loinc(FhirCodes.Phq9Items[i], null), Value = Phq9Answer(assessment.Items[i]) }
                : new Observation.ComponentComponent { Code = Local(FhirCodes.LocalItemCode(Instrument.Madrs, i), $"MADRS item {i + 1}"), Value = new Integer(assessment.Items[i]) });
        }

        AddVoidNote(result.Note, assessment.VoidReason, assessment.VoidedBy, assessment.VoidedAt);

        return result;
    }

    /// <summary>
    /// The item answers of an assessment as a QuestionnaireResponse: PHQ-9 against LOINC's form (link ids are the
    /// item codes, answers the LOINC answer codes), MADRS against the clinic's questionnaire (integer answers).
    /// </summary>
    public QuestionnaireResponse ToQuestionnaireResponse(Assessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var phq9 = assessment.Instrument == Instrument.Phq9;
        var response = new QuestionnaireResponse
        {
            Id = Id(assessment.Id),
            Meta = Meta(assessment.VoidedAt ?? assessment.RecordedAt, version: null),
            Questionnaire = phq9 ? FhirSystems.Phq9Questionnaire : systems.MadrsQuestionnaire,
            Status = assessment.Status == AssessmentStatus.EnteredInError
                ? QuestionnaireResponse.QuestionnaireResponseStatus.EnteredInError
                : QuestionnaireResponse.QuestionnaireResponseStatus.Completed,
            Subject = PatientReference(assessment.PatientId),
            AuthoredElement = Instant(assessment.AssessedAt),
            Author = Staff(assessment.RecordedBy),
            // PHQ-9 is self-report (the patient answered); a MADRS is rated by the clinician who recorded it.
            Source = phq9 ? PatientReference(assessment.PatientId) : Staff(assessment.RecordedBy),
        };
        for (var i = 0; i < assessment.Items.Count; i++)
        {
            response.Item.Add(new QuestionnaireResponse.ItemComponent
            {
                LinkId = phq9 ? FhirCodes.Phq9Items[i] : FhirCodes.LocalItemCode(Instrument.Madrs, i),
                Answer = [new QuestionnaireResponse.AnswerComponent { Value = phq9 ? Phq9AnswerCoding(assessment.Items[i]) : new Integer(assessment.Items[i]) }],
            });
        }

        response.Item.Add(new QuestionnaireResponse.ItemComponent
        {
            LinkId = phq9 ? FhirCodes.Phq9Total : FhirCodes.LocalTotalCode(Instrument.Madrs),
            Answer = [new QuestionnaireResponse.AnswerComponent { Value = new Integer(assessment.Total) }],
        });
        return response;
    }

    private static void Vital(Observation observation, string profile, CodeableConcept code)
    {
        observation.Meta ??= new Meta();
        observation.Meta.Profile = [profile];
        observation.Category = [Category(VitalSigns)];
        observation.Code = code;
    }

    private static CodeableConcept Category(string code) => new(FhirSystems.ObservationCategory, code);

    private static CodeableConcept Loinc(string code, string? display) => new(FhirSystems.Loinc, code, display, null);

    private CodeableConcept Local(string code, string display) => new(systems.ObservationCodes, code, display, null);

    private static Coding Phq9AnswerCoding(int answer) =>
        new(FhirSystems.Loinc, FhirCodes.Phq9Answers[answer].Code, FhirCodes.Phq9Answers[answer].Display);

    private static CodeableConcept Phq9Answer(int answer) => new()
    {
        Coding = [Phq9AnswerCoding(answer)],
        Text = answer.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
