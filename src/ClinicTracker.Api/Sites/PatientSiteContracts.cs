using System.ComponentModel.DataAnnotations;
using ClinicTracker.Core.Sites;

namespace ClinicTracker.Api.Sites;

/// <summary>Share a patient's record with another site of the group (domain.md §14).</summary>
public sealed record ShareRecordRequest
{
    /// <summary>The site whose staff may see and treat the patient from now on.</summary>
    [Required]
    public Guid? SiteId { get; init; }

    /// <summary>Why, 1–1,000 characters (e.g. "infusions at the north clinic while the patient stays with family").</summary>
    [Required]
    public string? Reason { get; init; }
}

/// <summary>Revoke a share, or move a patient: the reason is kept with the record.</summary>
public sealed record RevokeShareRequest
{
    /// <summary>Why, 1–1,000 characters.</summary>
    [Required]
    public string? Reason { get; init; }
}

/// <summary>Move a patient's record to another home site (domain.md §14).</summary>
public sealed record MoveHomeSiteRequest
{
    /// <summary>The new home site.</summary>
    [Required]
    public Guid? SiteId { get; init; }

    /// <summary>Why, 1–1,000 characters.</summary>
    [Required]
    public string? Reason { get; init; }

    /// <summary>
    /// True keeps the previous home site's access as a share (needed while it still has an active plan or an open
    /// session of the patient); default false.
    /// </summary>
    public bool? ShareWithPreviousSite { get; init; }
}

/// <summary>A share of a patient's record with a site.</summary>
/// <param name="Id">The share's id.</param>
/// <param name="PatientId">The patient.</param>
/// <param name="SiteId">The site the record is shared with.</param>
/// <param name="Reason">Why it was shared.</param>
/// <param name="GrantedAt">When (UTC).</param>
/// <param name="GrantedBy">The prescriber who shared it.</param>
/// <param name="Active">False once revoked: the site's staff no longer see the record.</param>
/// <param name="RevokedAt">When it was revoked (UTC).</param>
/// <param name="RevokedBy">The prescriber who revoked it.</param>
/// <param name="RevocationReason">Why it was revoked.</param>
public sealed record ShareResponse(
    Guid Id, Guid PatientId, Guid SiteId, string Reason, DateTime GrantedAt, string GrantedBy, bool Active, DateTime? RevokedAt,
    string? RevokedBy, string? RevocationReason)
{
    internal static ShareResponse From(PatientShare s) =>
        new(s.Id, s.PatientId, s.SiteId, s.Reason, s.GrantedAt, s.GrantedBy, s.IsActive, s.RevokedAt, s.RevokedBy, s.RevocationReason);
}

/// <summary>One move of a patient's home site.</summary>
/// <param name="Id">The move's id.</param>
/// <param name="PatientId">The patient.</param>
/// <param name="FromSiteId">The previous home site.</param>
/// <param name="ToSiteId">The new home site.</param>
/// <param name="Reason">Why.</param>
/// <param name="MovedAt">When (UTC).</param>
/// <param name="MovedBy">The prescriber who moved the record.</param>
public sealed record HomeSiteMoveResponse(Guid Id, Guid PatientId, Guid FromSiteId, Guid ToSiteId, string Reason, DateTime MovedAt, string MovedBy)
{
    internal static HomeSiteMoveResponse From(HomeSiteMove m) => new(m.Id, m.PatientId, m.FromSiteId, m.ToSiteId, m.Reason, m.MovedAt, m.MovedBy);
}
