using ClinicTracker.Core.Common;
using ClinicTracker.Core.Monitoring;
using Hl7.Fhir.Model;
using AdverseEvent = Hl7.Fhir.Model.AdverseEvent;
using CoreAdverseEvent = ClinicTracker.Core.Monitoring.AdverseEvent;

namespace ClinicTracker.Fhir;

public sealed partial class FhirMapper
{
    /// <summary>
    /// An adverse event (domain.md §5) as an actual AdverseEvent: the type as the clinic's local code (text for
    /// "other"), severity mild / moderate / severe with "serious" as severe and serious, outcome resolved or ongoing, the
    /// session's doses as suspect entities. R4 has no element for free text: the description is the narrative.
    /// </summary>
    /// <param name="adverseEvent">The event.</param>
    /// <param name="sessionDoseIds">The doses of the event's session that still stand (the suspects).</param>
    public AdverseEvent ToAdverseEvent(CoreAdverseEvent adverseEvent, IEnumerable<Guid> sessionDoseIds)
    {
        ArgumentNullException.ThrowIfNull(adverseEvent);
        ArgumentNullException.ThrowIfNull(sessionDoseIds);
        var type = EnumNames.Kebab(adverseEvent.Type);
        var result = new AdverseEvent
        {
            Id = Id(adverseEvent.Id),
            Meta = Meta(adverseEvent.RecordedAt, version: null),
            Actuality = AdverseEvent.AdverseEventActuality.Actual,
            Event = new CodeableConcept(systems.AdverseEventTypes, type, null, adverseEvent.OtherType ?? type),
            Subject = PatientReference(adverseEvent.PatientId),
            Encounter = EncounterReference(adverseEvent.SessionId),
            DateElement = Instant(adverseEvent.OnsetAt),
            RecordedDateElement = Instant(adverseEvent.RecordedAt),
            Recorder = Staff(adverseEvent.RecordedBy),
            Seriousness = adverseEvent.Severity == AdverseEventSeverity.Serious
                ? new CodeableConcept(FhirSystems.AdverseEventSeriousness, "serious", "Serious", null)
                : new CodeableConcept(FhirSystems.AdverseEventSeriousness, "non-serious", "Non-serious", null),
            Severity = adverseEvent.Severity switch
            {
                AdverseEventSeverity.Mild => new CodeableConcept(FhirSystems.AdverseEventSeverity, "mild", "Mild", null),
                AdverseEventSeverity.Moderate => new CodeableConcept(FhirSystems.AdverseEventSeverity, "moderate", "Moderate", null),
                _ => new CodeableConcept(FhirSystems.AdverseEventSeverity, "severe", "Severe", null),
            },
            Outcome = adverseEvent.ResolvedAt is null
                ? new CodeableConcept(FhirSystems.AdverseEventOutcome, "ongoing", "Ongoing", null)
                : new CodeableConcept(FhirSystems.AdverseEventOutcome, "resolved", "Resolved", null),
            SuspectEntity = [.. sessionDoseIds.Select(id => new AdverseEvent.SuspectEntityComponent
            {
                Instance = new ResourceReference($"MedicationAdministration/{Id(id)}"),
            })],
        };
        if (adverseEvent.Description is { } description)
        {
            result.Text = new Narrative
            {
                Status = Narrative.NarrativeStatus.Additional,
                Div = $"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>{System.Net.WebUtility.HtmlEncode(description)}</p></div>",
            };
        }

        return result;
    }
}
