namespace ClinicTracker.Core.Common;

/// <summary>
/// A record whose id is a version-7 GUID: ids grow with creation time, so the id alone orders the
/// records as they were recorded and is a stable keyset position for paging.
/// </summary>
public interface IRecordedInOrder
{
    Guid Id { get; }
}
