using ClinicTracker.Api.Common;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sites;
using FluentValidation;

namespace ClinicTracker.Api.Sites;

public sealed class CreateSiteRequestValidator : AbstractValidator<CreateSiteRequest>
{
    internal const string ZoneMessage = "timeZone must be an IANA time zone id, e.g. America/Chicago.";
    internal const string DeaMessage = "deaRegistration must be two letters and seven digits with a valid check digit, e.g. AB1234563.";

    public CreateSiteRequestValidator()
    {
        // Staff pick a site by its name: no control or invisible characters, so no two sites look alike (site.duplicate
        // compares the stored text, which a zero-width space changes and the screen does not show).
        RuleFor(r => r.Name).PersonName();
        RuleFor(r => r.TimeZone).NotEmpty().Must(ClinicTime.IsKnownZone).WithMessage(ZoneMessage);
        RuleFor(r => r.Address).MaximumLength(500).Visible();
        RuleFor(r => r.DeaRegistration).Must(DeaNumber.IsValid).WithMessage(DeaMessage).When(r => !string.IsNullOrEmpty(r.DeaRegistration));
    }
}

public sealed class UpdateSiteRequestValidator : AbstractValidator<UpdateSiteRequest>
{
    public UpdateSiteRequestValidator()
    {
        RuleFor(r => r.Name).PersonName().When(r => r.Name is not null);
        RuleFor(r => r.TimeZone).Must(ClinicTime.IsKnownZone).WithMessage(CreateSiteRequestValidator.ZoneMessage).When(r => r.TimeZone is not null);
        RuleFor(r => r.Address).MaximumLength(500).Visible();
        RuleFor(r => r.DeaRegistration).Must(DeaNumber.IsValid).WithMessage(CreateSiteRequestValidator.DeaMessage)
            .When(r => !string.IsNullOrEmpty(r.DeaRegistration));
        RuleFor(r => r).Must(r => r.Name is not null || r.TimeZone is not null || r.Address is not null || r.DeaRegistration is not null || r.Active is not null)
            .WithName("body").WithMessage("Send at least one of name, timeZone, address, deaRegistration, active.");
    }
}
