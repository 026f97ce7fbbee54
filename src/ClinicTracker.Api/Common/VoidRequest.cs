using System.ComponentModel.DataAnnotations;
using FluentValidation;

namespace ClinicTracker.Api.Common;

/// <summary>
/// Marks a clinical entry (dose, observation, assessment) entered-in-error: it stays in the record with the
/// reason and its author, and no longer counts (domain.md §8: corrections, never edits).
/// </summary>
public sealed record VoidRequest
{
    /// <summary>Why the entry is wrong, 1–1,000 characters.</summary>
    [Required]
    public string? Reason { get; init; }
}

public sealed class VoidRequestValidator : AbstractValidator<VoidRequest>
{
    public VoidRequestValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(1000).Visible();
}
