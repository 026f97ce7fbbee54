using ClinicTracker.Api.Common;
using FluentValidation;

namespace ClinicTracker.Api.Sites;

public sealed class ShareRecordRequestValidator : AbstractValidator<ShareRecordRequest>
{
    public ShareRecordRequestValidator()
    {
        RuleFor(r => r.SiteId).NotNull();
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(1000).Visible();
    }
}

public sealed class RevokeShareRequestValidator : AbstractValidator<RevokeShareRequest>
{
    public RevokeShareRequestValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(1000).Visible();
}

public sealed class MoveHomeSiteRequestValidator : AbstractValidator<MoveHomeSiteRequest>
{
    public MoveHomeSiteRequestValidator()
    {
        RuleFor(r => r.SiteId).NotNull();
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(1000).Visible();
    }
}
