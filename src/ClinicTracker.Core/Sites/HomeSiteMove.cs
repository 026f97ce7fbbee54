using ClinicTracker.Core.Common;

namespace ClinicTracker.Core.Sites;

/// <summary>One move of a patient's record to another home site (domain.md §14): who moved it, from where, to where, why.</summary>
public sealed class HomeSiteMove : IRecordedInOrder, IPatientLinked
{
    private HomeSiteMove()
    {
    }

    public Guid Id { get; private set; }

    public Guid PatientId { get; private set; }

    public Guid FromSiteId { get; private set; }

    public Guid ToSiteId { get; private set; }

    public string Reason { get; private set; } = "";

    public DateTime MovedAt { get; private set; }

    public string MovedBy { get; private set; } = "";

    public static HomeSiteMove Record(Guid patientId, Guid fromSiteId, Guid toSiteId, string reason, string prescriber, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(),
        PatientId = patientId,
        FromSiteId = fromSiteId,
        ToSiteId = toSiteId,
        Reason = reason.Trim(),
        MovedAt = nowUtc,
        MovedBy = prescriber,
    };
}
