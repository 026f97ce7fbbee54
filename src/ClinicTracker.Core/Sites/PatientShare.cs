using ClinicTracker.Core.Common;

namespace ClinicTracker.Core.Sites;

/// <summary>
/// A prescriber's grant that lets another site of the group see and treat a patient (domain.md §14): while it is
/// not revoked, the site's staff see the whole record as the home site's do, and plans and sessions may take place
/// there. Revoked, never deleted, so the trail of who could see the record when stays whole.
/// </summary>
public sealed class PatientShare : IRecordedInOrder, IPatientLinked
{
    private PatientShare()
    {
    }

    public Guid Id { get; private set; }

    public Guid PatientId { get; private set; }

    /// <summary>The site the record is shared with.</summary>
    public Guid SiteId { get; private set; }

    public string Reason { get; private set; } = "";

    public DateTime GrantedAt { get; private set; }

    public string GrantedBy { get; private set; } = "";

    public DateTime? RevokedAt { get; private set; }

    public string? RevokedBy { get; private set; }

    public string? RevocationReason { get; private set; }

    public bool IsActive => RevokedAt is null;

    public static PatientShare Grant(Guid patientId, Guid siteId, string reason, string prescriber, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(),
        PatientId = patientId,
        SiteId = siteId,
        Reason = reason.Trim(),
        GrantedAt = nowUtc,
        GrantedBy = prescriber,
    };

    public RuleViolation? Revoke(string reason, string prescriber, DateTime nowUtc)
    {
        if (RevokedAt is not null)
        {
            return RuleViolation.Conflict("share.revoked", "The share is already revoked.", $"Share {Id} was revoked at {RevokedAt:O}.");
        }

        RevokedAt = nowUtc;
        RevokedBy = prescriber;
        RevocationReason = reason.Trim();
        return null;
    }
}
