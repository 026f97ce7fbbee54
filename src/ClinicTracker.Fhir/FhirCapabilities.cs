using Hl7.Fhir.Model;

namespace ClinicTracker.Fhir;

/// <summary>One search parameter the server understands, as the CapabilityStatement lists it.</summary>
public sealed record SearchParameterInfo(string Name, SearchParamType Type, string Documentation);

/// <summary>
/// What the FHIR endpoint supports, in one place: the CapabilityStatement is built from it and the search handlers
/// refuse any parameter not in it, so the statement lists exactly what works (docs/fhir.md).
/// </summary>
public static class FhirCapabilities
{
    public const string PatientEverything = "http://hl7.org/fhir/OperationDefinition/Patient-everything";
    public const string PatientExport = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export";
    public const string GroupExport = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export";

    /// <summary>Result parameters every search takes besides its own: page size and the keyset position of a next link.</summary>
    public static readonly IReadOnlySet<string> ResultParameters = new HashSet<string>(StringComparer.Ordinal) { "_count", "_cursor", "_format" };

    private static readonly SearchParameterInfo PatientParameter =
        new("patient", SearchParamType.Reference, "Required: Patient/{id} or the id. One patient per search (each read is audited with its patient).");

    /// <summary>The searchable types and their parameters; the other record types are read by id and in $everything/$export.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<SearchParameterInfo>> Searches = new Dictionary<string, IReadOnlyList<SearchParameterInfo>>
    {
        ["Patient"] = [new("identifier", SearchParamType.Token, "Required: the MRN, optionally as {mrn system}|{mrn}.")],
        ["Encounter"] = [PatientParameter, new("date", SearchParamType.Date, "When the visit began: check-in, or the booked time while none happened (UTC unless a zone is given); ge, gt, le, lt, eq prefixes, repeatable.")],
        ["MedicationAdministration"] =
        [
            PatientParameter,
            new("effective-time", SearchParamType.Date, "When the dose was given (an infusion's start); ge, gt, le, lt, eq, repeatable."),
            new("status", SearchParamType.Token, "completed or entered-in-error; comma-separated for either."),
        ],
        ["Observation"] =
        [
            PatientParameter,
            new("category", SearchParamType.Token, "vital-signs, survey or exam; comma-separated for any."),
            new("code", SearchParamType.Token, "LOINC 85354-9, 8867-4, 2708-6, 59408-5, 44261-6 or a local code (cadss, moaas, madrs-total), optionally with its system."),
            new("date", SearchParamType.Date, "When it was observed or assessed; ge, gt, le, lt, eq, repeatable."),
        ],
    };

    /// <summary>The types read by id.</summary>
    public static readonly IReadOnlyList<string> ReadableTypes = FhirMapper.RecordTypes;

    public static CapabilityStatement Statement(string baseUrl, string softwareVersion, DateTimeOffset published)
    {
        var rest = new CapabilityStatement.RestComponent
        {
            Mode = CapabilityStatement.RestfulCapabilityMode.Server,
            Documentation = "Read-only FHIR R4 view of the treatment record. See docs/fhir.md.",
            Security = new CapabilityStatement.SecurityComponent
            {
                Cors = true,
                Description = "Bearer JWT (Authorization: Bearer …) whose role the staff register grants: nurse, prescriber or integrator. " +
                    "Records are visible only at the caller's sites.",
            },
        };
        foreach (var type in ReadableTypes)
        {
            var resource = new CapabilityStatement.ResourceComponent
            {
                Type = type,
                Interaction = [new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read }],
                ReadHistory = false,
                UpdateCreate = false,
            };
            if (Searches.TryGetValue(type, out var parameters))
            {
                resource.Interaction.Add(new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.SearchType });
                resource.SearchParam = [.. parameters.Select(p => new CapabilityStatement.SearchParamComponent
                {
                    Name = p.Name,
                    Type = p.Type,
                    Documentation = p.Documentation,
                })];
            }

            if (type == "Patient")
            {
                resource.Operation =
                [
                    new CapabilityStatement.OperationComponent { Name = "everything", Definition = PatientEverything },
                    new CapabilityStatement.OperationComponent { Name = "export", Definition = PatientExport },
                ];
            }

            rest.Resource.Add(resource);
        }

        rest.Resource.Add(new CapabilityStatement.ResourceComponent
        {
            Type = "Group",
            Documentation = "Groups for bulk export only: 'clinic' (every patient at the caller's sites) and one per plan type, e.g. 'ketamine-intravenous'.",
            Operation = [new CapabilityStatement.OperationComponent { Name = "export", Definition = GroupExport }],
        });

        return new CapabilityStatement
        {
            Status = PublicationStatus.Active,
            DateElement = new FhirDateTime(published),
            Publisher = "ClinicTracker",
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "ClinicTracker", Version = softwareVersion },
            Implementation = new CapabilityStatement.ImplementationComponent { Description = "ClinicTracker FHIR R4 endpoint", Url = baseUrl },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = [FhirJson.MediaType, "json"],
            Rest = [rest],
        };
    }
}
