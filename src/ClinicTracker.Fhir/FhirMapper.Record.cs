using Hl7.Fhir.Model;

namespace ClinicTracker.Fhir;

public sealed partial class FhirMapper
{
    /// <summary>The resource types a patient's record exports as, in the order <see cref="ToResources"/> yields them.</summary>
    public static readonly IReadOnlyList<string> RecordTypes =
    [
        "Patient", "CarePlan", "Encounter", "MedicationAdministration", "Observation", "QuestionnaireResponse", "AdverseEvent",
    ];

    /// <summary>
    /// A patient's whole record as resources (for <c>$everything</c> and bulk export): the patient, plans, sessions,
    /// doses, observations, assessments (an Observation and a QuestionnaireResponse each) and adverse events.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="types">Only these resource types (<c>_type</c>); null for all.</param>
    /// <param name="since">Only resources changed at or after this instant (<c>_since</c>: meta.lastUpdated); null for all.</param>
    public IEnumerable<Resource> ToResources(PatientRecord record, IReadOnlySet<string>? types = null, DateTimeOffset? since = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        return All().Where(r => since is null || r.Meta?.LastUpdated >= since);

        IEnumerable<Resource> All()
        {
            bool Wanted(string type) => types is null || types.Contains(type);
            var diagnosis = record.Patient.Diagnosis;
            if (Wanted("Patient"))
            {
                yield return ToPatient(record.Patient);
            }

            if (Wanted("CarePlan"))
            {
                foreach (var plan in record.Plans)
                {
                    yield return ToCarePlan(plan);
                }
            }

            if (Wanted("Encounter"))
            {
                foreach (var session in record.Sessions)
                {
                    yield return ToEncounter(session, diagnosis);
                }
            }

            if (Wanted("MedicationAdministration"))
            {
                foreach (var dose in record.Doses)
                {
                    yield return ToMedicationAdministration(dose);
                }
            }

            if (Wanted("Observation"))
            {
                foreach (var observation in record.Observations)
                {
                    yield return ToObservation(observation);
                }

                foreach (var assessment in record.Assessments)
                {
                    yield return ToObservation(assessment);
                }
            }

            if (Wanted("QuestionnaireResponse"))
            {
                foreach (var assessment in record.Assessments)
                {
                    yield return ToQuestionnaireResponse(assessment);
                }
            }

            if (Wanted("AdverseEvent"))
            {
                var standingDoses = record.Doses.Where(d => d.Status == Core.Dosing.DoseStatus.Completed).ToLookup(d => d.SessionId, d => d.Id);
                foreach (var adverseEvent in record.AdverseEvents)
                {
                    yield return ToAdverseEvent(adverseEvent, standingDoses[adverseEvent.SessionId]);
                }
            }
        }
    }
}
