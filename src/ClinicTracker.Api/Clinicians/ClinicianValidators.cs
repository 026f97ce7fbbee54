using ClinicTracker.Api.Common;
using FluentValidation;

namespace ClinicTracker.Api.Clinicians;

public sealed class RegisterClinicianRequestValidator : AbstractValidator<RegisterClinicianRequest>
{
    // Every role of the enum is a register role, integrators included (domain.md §9).
    internal const string RoleMessage = "role must be one of front-desk, nurse, prescriber, admin, integrator.";

    public RegisterClinicianRequestValidator()
    {
        RuleFor(r => r.UserName).NotEmpty().MaximumLength(100).Matches("^[A-Za-z0-9._@-]+$")
            .WithMessage("userName may contain only letters, digits, '.', '_', '@' and '-'.");
        RuleFor(r => r.DisplayName).PersonName();
        RuleFor(r => r.Role).NotNull().IsInEnum().WithMessage(RoleMessage);
        RuleFor(r => r.RegistrationNumber).MaximumLength(64).Visible();
    }
}

public sealed class UpdateClinicianRequestValidator : AbstractValidator<UpdateClinicianRequest>
{
    public UpdateClinicianRequestValidator()
    {
        RuleFor(r => r.DisplayName).PersonName().When(r => r.DisplayName is not null);
        RuleFor(r => r.Role).IsInEnum().WithMessage(RegisterClinicianRequestValidator.RoleMessage);
        RuleFor(r => r.RegistrationNumber).MaximumLength(64).Visible();
        RuleFor(r => r).Must(r => r.DisplayName is not null || r.Role is not null || r.RegistrationNumber is not null || r.Active is not null)
            .WithName("body").WithMessage("Send at least one of displayName, role, registrationNumber, active.");
    }
}
