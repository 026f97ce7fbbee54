namespace ClinicTracker.Core.Common;

/// <summary>An options class of clinical defaults (domain.md) that can say what is wrong with its configured values.</summary>
public interface IValidatableOptions
{
    /// <summary>Every problem with the configured values, each naming its setting; empty when the values are usable.</summary>
    IReadOnlyList<string> Validate();
}
