namespace ClinicTracker.Core.Sites;

/// <summary>
/// A part of one patient's record: visible exactly where its patient is (domain.md §14). Every entity with a
/// patient id implements it, and the context filters every one of them by site (<see cref="Data.ClinicDbContext"/>;
/// a test fails for an entity that has a patient id but no filter).
/// </summary>
public interface IPatientLinked
{
    Guid Id { get; }

    Guid PatientId { get; }
}

/// <summary>A part of one session's record (a dose, waste, an observation, an adverse event): it took place at its session's site.</summary>
public interface ISessionLinked : IPatientLinked
{
    Guid SessionId { get; }
}
