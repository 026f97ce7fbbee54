using System.Text.Json.Nodes;
using ClinicTracker.Api.Auditing;
using ClinicTracker.Api.Clinicians;
using ClinicTracker.Api.Doses;
using ClinicTracker.Api.Monitoring;
using ClinicTracker.Api.Outcomes;
using ClinicTracker.Api.Patients;
using ClinicTracker.Api.Plans;
using ClinicTracker.Api.Sessions;
using ClinicTracker.Api.Sites;
using ClinicTracker.Api.Stock;
using ClinicTracker.Api.Webhooks;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace ClinicTracker.Api.Common;

/// <summary>
/// One example body per request type, shown by Swagger UI as the body of "Try it out". Each is a body the API
/// accepts as it stands (a test runs every one through the JSON options and the type's validator, and sends the
/// ones that name no other record); ids of other records (<c>planId</c>, <c>siteId</c>) are the default site's or
/// placeholders to replace with real ones. Times are in March 2026, the clinic's own examples in docs/api.md.
/// </summary>
public static class OpenApiExamples
{
    /// <summary>The default site every deployment has (ADR 0015).</summary>
    private const string DefaultSite = "00000000-0000-0000-0000-000000000001";

    public static IReadOnlyDictionary<Type, string> Requests { get; } = new Dictionary<Type, string>
    {
        [typeof(RegisterPatientRequest)] = """
            {"mrn": "MRN-104233", "givenName": "Alex", "familyName": "Example", "dateOfBirth": "1984-03-07", "sex": "female",
             "diagnosis": "Treatment-resistant major depressive disorder, recurrent, severe (F33.2)"}
            """,
        [typeof(PatientRequest)] = """
            {"mrn": "MRN-104233", "givenName": "Alex", "familyName": "Example-Jones", "dateOfBirth": "1984-03-07", "sex": "female",
             "diagnosis": "Treatment-resistant major depressive disorder, recurrent, severe (F33.2)"}
            """,
        [typeof(CreatePlanRequest)] = """
            {"medication": "ketamine", "route": "intravenous", "startDate": "2026-03-02", "timeZone": "America/New_York",
             "template": "iv-induction", "targetDoseMgPerKg": 0.5}
            """,
        [typeof(DiscontinuePlanRequest)] = """{"reason": "The patient chose to stop after the induction phase."}""",
        // No time: now. An empty body, or none, means the same.
        [typeof(CompletePlanRequest)] = """{"at": null}""",
        [typeof(ScheduleSessionRequest)] = """{"planId": "3f2b8c1e-5d4a-4c6b-9e21-7a8d0c5f1b23", "scheduledAt": "2026-03-04T14:00:00Z"}""",
        [typeof(CheckInRequest)] = """{"weightKg": 72.5, "weightBasis": "actual"}""",
        [typeof(CancelSessionRequest)] = """{"cancelledBy": "patient", "reason": "Unwell with a cold; rebooked for Friday."}""",
        [typeof(HoldSessionRequest)] = """{"reason": "Blood pressure 168/104 on the recheck after 15 minutes: above the pre-dose gate."}""",
        [typeof(SessionTransitionRequest)] = """{"at": null}""",
        [typeof(RecordDoseRequest)] = """
            {"medication": "ketamine", "route": "intravenous", "amountMg": 36, "infusionStartedAt": "2026-03-04T14:20:00Z",
             "infusionEndedAt": "2026-03-04T15:00:00Z", "lotNumber": "KET-24117"}
            """,
        [typeof(RecordWasteRequest)] = """
            {"amountMg": 14, "witnessUserName": "nurse.okafor", "wastedAt": "2026-03-04T15:05:00Z", "lotNumber": "KET-24117"}
            """,
        [typeof(RecordReceiptRequest)] = """
            {"medication": "ketamine", "form": "vial", "strength": 50, "lotNumber": "KET-24117", "expiresOn": "2027-06-30",
             "manufacturer": "Hikma", "quantityMg": 5000, "receivedAt": "2026-03-02T14:00:00Z", "supplier": "McKesson",
             "invoiceNumber": "INV-778120", "witnessUserName": "dr.alvarez"}
            """,
        [typeof(RecordDisposalRequest)] = """
            {"kind": "returned", "amountMg": 500, "disposedAt": "2026-03-20T16:00:00Z", "reason": "Expired; sent to the reverse distributor.",
             "reference": "RD-2026-0418", "witnessUserName": "dr.alvarez"}
            """,
        [typeof(RecordCountRequest)] = """
            {"countedMg": 4120, "countedAt": "2026-03-31T17:30:00Z", "note": "8 sealed vials and one opened vial estimated at 120 mg.",
             "witnessUserName": "dr.alvarez"}
            """,
        [typeof(ResolveDiscrepancyRequest)] = """
            {"resolution": "adjusted", "reason": "5 mg spilled during draw-up on 30 March and not recorded as waste.", "reportedToDea": false}
            """,
        [typeof(VoidRequest)] = """{"reason": "Entered on the wrong session; re-entered on the right one."}""",
        [typeof(RecordObservationRequest)] = """{"kind": "blood-pressure", "systolic": 128, "diastolic": 82, "observedAt": "2026-03-04T14:10:00Z"}""",
        [typeof(RecordAdverseEventRequest)] = """
            {"type": "nausea", "severity": "mild", "onsetAt": "2026-03-04T14:45:00Z", "description": "Mild nausea; ondansetron 4 mg given."}
            """,
        [typeof(ResolveAdverseEventRequest)] = """{"resolvedAt": "2026-03-04T15:20:00Z"}""",
        [typeof(RecordAssessmentRequest)] = """{"instrument": "phq9", "items": [2, 2, 1, 2, 1, 2, 1, 1, 0], "assessedAt": "2026-03-04T13:50:00Z"}""",
        [typeof(AcknowledgeSafetyFlagRequest)] = """
            {"actionTaken": "Spoke with the patient the same day; safety plan reviewed and crisis line given."}
            """,
        [typeof(RegisterClinicianRequest)] = $$"""
            {"userName": "nurse.okafor", "displayName": "Ngozi Okafor, RN", "role": "nurse", "registrationNumber": "RN-448812",
             "sites": ["{{DefaultSite}}"]}
            """,
        [typeof(UpdateClinicianRequest)] = """{"displayName": "Ngozi Okafor, RN, BSN"}""",
        [typeof(CreateSiteRequest)] = """
            {"name": "Riverside Clinic", "timeZone": "America/Chicago", "address": "120 River Street, Springfield", "deaRegistration": "AB1234563"}
            """,
        [typeof(UpdateSiteRequest)] = """{"address": "122 River Street, Springfield"}""",
        [typeof(ShareRecordRequest)] = $$"""{"siteId": "{{DefaultSite}}", "reason": "Sessions at this site while the patient stays with family."}""",
        [typeof(RevokeShareRequest)] = """{"reason": "Treatment at this site has ended."}""",
        [typeof(MoveHomeSiteRequest)] = $$"""
            {"siteId": "{{DefaultSite}}", "reason": "The patient moved closer to this clinic.", "shareWithPreviousSite": true}
            """,
        [typeof(CreateWebhookSubscriptionRequest)] = """
            {"url": "https://integrations.example.org/clinictracker/webhooks", "eventTypes": ["safety-flag.opened", "session.missed"],
             "description": "Care-coordination queue"}
            """,
        [typeof(UpdateWebhookSubscriptionRequest)] = """{"eventTypes": ["safety-flag.opened", "session.missed", "dose.recorded"]}""",
        [typeof(AuditHeadResponse)] = """
            {"at": "2026-03-04T18:00:00Z", "chains": [{"chain": 0, "sequence": 0, "hash": "GENESIS"}], "rows": 0}
            """,
    };
}

/// <summary>Puts the example of <see cref="OpenApiExamples"/> on every JSON request body.</summary>
public sealed class RequestExamplesOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.RequestBody?.Content is not { } content || !content.TryGetValue("application/json", out var media))
        {
            return;
        }

        var body = context.ApiDescription.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Body)?.Type;
        if (body is null || !OpenApiExamples.Requests.TryGetValue(body, out var example))
        {
            return;
        }

        media.Example = JsonNode.Parse(example);
    }
}
