using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using System.Security.Claims;
using ClinicTracker.Api.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Outcomes;
using ClinicTracker.Core.Patients;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Patients;

/// <summary>Demographics of a patient, sent to replace them (PUT with If-Match); a registration adds the home site.</summary>
public record PatientRequest
{
    /// <summary>Clinic-assigned medical record number: 1–32 of A–Z, a–z, 0–9 and '-'; unique, compared case-insensitively.</summary>
    [Required]
    public string? Mrn { get; init; }

    /// <summary>Given name, 1–100 characters.</summary>
    [Required]
    public string? GivenName { get; init; }

    /// <summary>Family name, 1–100 characters.</summary>
    [Required]
    public string? FamilyName { get; init; }

    /// <summary>Date of birth (YYYY-MM-DD), from 1900-01-01 up to today. Age matters for esketamine dosing.</summary>
    [Required]
    public DateOnly? DateOfBirth { get; init; }

    /// <summary>Administrative sex: female, male, other or unknown.</summary>
    [Required]
    public Sex? Sex { get; init; }

    /// <summary>Diagnosis note, at most 2,000 characters (e.g. treatment-resistant depression: two failed adequate antidepressant trials).</summary>
    public string? Diagnosis { get; init; }

    internal PatientDemographics ToDemographics() =>
        new(Mrn!, GivenName!, FamilyName!, DateOfBirth!.Value, Sex!.Value, Diagnosis);
}

/// <summary>A patient to register: the demographics and the site that holds the record.</summary>
public sealed record RegisterPatientRequest : PatientRequest
{
    /// <summary>
    /// The home site (domain.md §14), one you work at. Optional when you work at one site (the record goes there);
    /// required when you work at several. Moved later only by a prescriber (POST /patients/{id}/move).
    /// </summary>
    public Guid? HomeSiteId { get; init; }
}

/// <summary>A patient as the API returns it. The ETag header of a single patient carries <see cref="Version"/>.</summary>
/// <param name="Id">The patient's id.</param>
/// <param name="Mrn">Medical record number as entered.</param>
/// <param name="GivenName">Given name.</param>
/// <param name="FamilyName">Family name.</param>
/// <param name="DateOfBirth">Date of birth.</param>
/// <param name="Sex">Administrative sex.</param>
/// <param name="Diagnosis">Diagnosis note, if any.</param>
/// <param name="Archived">True once archived: the record stays readable but takes no changes.</param>
/// <param name="ArchivedAt">When the patient was archived (UTC).</param>
/// <param name="CreatedAt">When the patient was registered (UTC).</param>
/// <param name="UpdatedAt">When the demographics last changed (UTC).</param>
/// <param name="Version">Concurrency version; send it quoted in If-Match to update.</param>
/// <param name="HomeSiteId">The site that holds the record (domain.md §14).</param>
/// <param name="OpenSafetyFlags">
/// Safety flags awaiting a prescriber's acknowledgement (PHQ-9 item 9 above 0, domain.md §7). Clinical data:
/// null for callers who may not read it (the front desk, domain.md §9).
/// </param>
public sealed record PatientResponse(
    Guid Id,
    string Mrn,
    string GivenName,
    string FamilyName,
    DateOnly DateOfBirth,
    Sex Sex,
    string? Diagnosis,
    bool Archived,
    DateTime? ArchivedAt,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version,
    Guid HomeSiteId,
    int? OpenSafetyFlags)
{
    /// <summary>
    /// The response in one query: the open-flag count is a correlated count on the (patient, status) index,
    /// made only for a caller who may see it.
    /// </summary>
    internal static Expression<Func<Patient, PatientResponse>> Projection(ClinicDbContext db, ClaimsPrincipal user) => user.ReadsClinicalData()
        ? p => From(p, db.SafetyFlags.Count(f => f.PatientId == p.Id && f.Status == SafetyFlagStatus.Open))
        : p => From(p, null);

    internal static PatientResponse From(Patient p, int? openSafetyFlags) => new(
        p.Id, p.Mrn, p.GivenName, p.FamilyName, p.DateOfBirth, p.Sex, p.Diagnosis,
        p.ArchivedAt != null, p.ArchivedAt, p.CreatedAt, p.UpdatedAt, p.Version, p.HomeSiteId, openSafetyFlags);

    /// <summary>The open-flag count of a patient whose entity is already loaded (after an update or archive), for a caller who may see it.</summary>
    internal static async Task<int?> OpenSafetyFlagsOf(ClinicDbContext db, ClaimsPrincipal user, Guid patientId, CancellationToken ct) =>
        user.ReadsClinicalData()
            ? await db.SafetyFlags.CountAsync(f => f.PatientId == patientId && f.Status == SafetyFlagStatus.Open, ct)
            : null;
}
