using ClinicTracker.Api.Common;
using ClinicTracker.Core.Clinicians;
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
        RuleFor(r => r.AllSites).Must((r, all) => all is not true || r.Role is null || Clinician.MayHoldAllSites(r.Role.Value))
            .WithMessage(AllSitesRoleMessage);
        RuleFor(r => r.Sites).Must(s => s is null || s.Count == 0).When(r => r.AllSites is true).WithMessage(AllSitesListMessage);
        RuleFor(r => r.Sites).Must(Distinct).WithMessage(DistinctMessage);
    }

    internal const string AllSitesRoleMessage = "allSites may be granted to admins and integrators only (domain.md §14).";
    internal const string AllSitesListMessage = "Send either allSites: true or a list of sites, not both.";
    internal const string DistinctMessage = "sites must not name a site twice.";

    internal static bool Distinct(IReadOnlyList<Guid>? sites) => sites is null || sites.Distinct().Count() == sites.Count;
}

public sealed class UpdateClinicianRequestValidator : AbstractValidator<UpdateClinicianRequest>
{
    public UpdateClinicianRequestValidator()
    {
        RuleFor(r => r.DisplayName).PersonName().When(r => r.DisplayName is not null);
        RuleFor(r => r.Role).IsInEnum().WithMessage(RegisterClinicianRequestValidator.RoleMessage);
        RuleFor(r => r.RegistrationNumber).MaximumLength(64).Visible();
        RuleFor(r => r.AllSites).Must((r, all) => all is not true || r.Role is null || Clinician.MayHoldAllSites(r.Role.Value))
            .WithMessage(RegisterClinicianRequestValidator.AllSitesRoleMessage);
        RuleFor(r => r.Sites).Must(s => s is null || s.Count == 0).When(r => r.AllSites is true)
            .WithMessage(RegisterClinicianRequestValidator.AllSitesListMessage);
        RuleFor(r => r.Sites).Must(RegisterClinicianRequestValidator.Distinct).WithMessage(RegisterClinicianRequestValidator.DistinctMessage);
        RuleFor(r => r).Must(r => r.DisplayName is not null || r.Role is not null || r.RegistrationNumber is not null || r.Active is not null ||
                r.Sites is not null || r.AllSites is not null)
            .WithName("body").WithMessage("Send at least one of displayName, role, registrationNumber, active, sites, allSites.");
    }
}
