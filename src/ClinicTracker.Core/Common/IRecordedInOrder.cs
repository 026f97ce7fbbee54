namespace ClinicTracker.Core.Common;

/// <summary>
/// A record whose id is a version-7 GUID: ids begin with the recording instance's clock in milliseconds, so
/// the id orders records as they were recorded ("recording order", docs/api.md; ADR 0013) and is a stable
/// keyset position for paging. It is a total order on stored values, the same on every instance; records made
/// within the clock skew between two instances may sort either way, so clinical order uses clinical times.
/// </summary>
public interface IRecordedInOrder
{
    Guid Id { get; }
}
