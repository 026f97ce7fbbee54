using ClinicTracker.Core.Common;

namespace ClinicTracker.Core.Patients;

/// <summary>A person in treatment (domain.md §1). Never hard-deleted; archived instead.</summary>
public sealed class Patient
{
    private Patient()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Clinic-assigned medical record number, unique.</summary>
    public string Mrn { get; private set; } = "";

    public string MrnNormalized { get; private set; } = "";

    public string GivenName { get; private set; } = "";

    public string FamilyName { get; private set; } = "";

    /// <summary>"FAMILY GIVEN", upper-cased: the search and sort key of patient lists.</summary>
    public string SortName { get; private set; } = "";

    public DateOnly DateOfBirth { get; private set; }

    public Sex Sex { get; private set; }

    public string? Diagnosis { get; private set; }

    /// <summary>
    /// The site that holds the record (domain.md §14): its staff see the patient, and its prescribers share the
    /// record with other sites or move it. Moved only by <see cref="MoveHome"/>.
    /// </summary>
    public Guid HomeSiteId { get; private set; }

    public DateTime? ArchivedAt { get; private set; }

    public string? ArchivedBy { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public DateTime UpdatedAt { get; private set; }

    public string UpdatedBy { get; private set; } = "";

    /// <summary>Optimistic-concurrency version, surfaced as the ETag.</summary>
    public int Version { get; private set; }

    public bool IsArchived => ArchivedAt is not null;

    /// <summary>
    /// domain.md §4: an archived patient takes no new session, check-in, dose, observation, adverse event, waste
    /// or assessment. Corrections of what is already recorded (voiding, resolving) stay possible.
    /// </summary>
    /// <param name="what">What was refused, for the detail ("doses", "observations").</param>
    public RuleViolation? RefuseIfArchived(string what) => IsArchived
        ? RuleViolation.Conflict("patient.archived", "The patient is archived.", $"Patient {Id} is archived and takes no {what}.")
        : null;

    public static Patient Register(PatientDemographics demographics, Guid homeSiteId, string userName, DateTime nowUtc)
    {
        var patient = new Patient
        {
            Id = Guid.CreateVersion7(),
            HomeSiteId = homeSiteId,
            CreatedAt = nowUtc,
            CreatedBy = userName,
            Version = 1,
        };
        patient.Apply(demographics, userName, nowUtc);
        return patient;
    }

    public void Update(PatientDemographics demographics, string userName, DateTime nowUtc)
    {
        Apply(demographics, userName, nowUtc);
        Version++;
    }

    /// <summary>Moves the record to another home site (a prescriber's action, domain.md §14); the version moves, so a stale If-Match fails.</summary>
    public void MoveHome(Guid siteId, string userName, DateTime nowUtc)
    {
        HomeSiteId = siteId;
        UpdatedAt = nowUtc;
        UpdatedBy = userName;
        Version++;
    }

    public void Archive(string userName, DateTime nowUtc)
    {
        ArchivedAt = nowUtc;
        ArchivedBy = userName;
        UpdatedAt = nowUtc;
        UpdatedBy = userName;
        Version++;
    }

    private void Apply(PatientDemographics d, string userName, DateTime nowUtc)
    {
        Mrn = d.Mrn.Trim();
        MrnNormalized = SearchText.Normalize(d.Mrn);
        GivenName = d.GivenName.Trim();
        FamilyName = d.FamilyName.Trim();
        SortName = SearchText.Normalize(d.FamilyName) + " " + SearchText.Normalize(d.GivenName);
        DateOfBirth = d.DateOfBirth;
        Sex = d.Sex;
        Diagnosis = string.IsNullOrWhiteSpace(d.Diagnosis) ? null : d.Diagnosis.Trim();
        UpdatedAt = nowUtc;
        UpdatedBy = userName;
    }
}

/// <summary>The demographic facts a registration or an update sets.</summary>
public sealed record PatientDemographics(
    string Mrn, string GivenName, string FamilyName, DateOnly DateOfBirth, Sex Sex, string? Diagnosis);
