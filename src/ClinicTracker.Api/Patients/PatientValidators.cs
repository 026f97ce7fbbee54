using ClinicTracker.Api.Common;
using FluentValidation;

namespace ClinicTracker.Api.Patients;

public sealed class PatientRequestValidator : AbstractValidator<PatientRequest>
{
    private static readonly DateOnly EarliestBirthDate = new(1900, 1, 1);

    public PatientRequestValidator(TimeProvider clock)
    {
        RuleFor(r => r.Mrn).NotEmpty().MaximumLength(32).Matches("^[A-Za-z0-9-]+$")
            .WithMessage("mrn may contain only letters A–Z, digits and '-'.");
        RuleFor(r => r.GivenName).PersonName();
        RuleFor(r => r.FamilyName).PersonName();
        RuleFor(r => r.DateOfBirth).NotNull()
            .GreaterThanOrEqualTo(EarliestBirthDate).WithMessage("dateOfBirth cannot be before 1900-01-01.")
            .Must(d => d <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
            .WithMessage("dateOfBirth cannot be in the future.");
        RuleFor(r => r.Sex).NotNull().IsInEnum();
        RuleFor(r => r.Diagnosis).MaximumLength(2000).Visible();
    }
}

/// <summary>A registration: the demographics' rules (the home site is checked against the caller's sites by the handler).</summary>
public sealed class RegisterPatientRequestValidator : AbstractValidator<RegisterPatientRequest>
{
    public RegisterPatientRequestValidator(TimeProvider clock) => Include(new PatientRequestValidator(clock));
}
