using ClinicTracker.Api.Common;
using FluentValidation;

namespace ClinicTracker.Api.Sessions;

public sealed class ScheduleSessionRequestValidator : AbstractValidator<ScheduleSessionRequest>
{
    public ScheduleSessionRequestValidator()
    {
        RuleFor(r => r.PlanId).NotNull().NotEqual(Guid.Empty);
        RuleFor(r => r.ScheduledAt).NotNull();
    }
}

public sealed class CheckInRequestValidator : AbstractValidator<CheckInRequest>
{
    public CheckInRequestValidator(TimeProvider clock)
    {
        // Plausible dosing weights (domain.md §3): 30–300 kg.
        RuleFor(r => r.WeightKg).NotNull().InclusiveBetween(30m, 300m)
            .Must(v => v is null || Core.Common.Amounts.HasAtMostTwoDecimals(v.Value)).WithMessage("weightKg has at most 2 decimals.");
        RuleFor(r => r.WeightBasis).NotNull().IsInEnum();
        RuleFor(r => r.At).NotInFuture(clock);
    }
}

public sealed class CancelSessionRequestValidator : AbstractValidator<CancelSessionRequest>
{
    public CancelSessionRequestValidator(TimeProvider clock)
    {
        RuleFor(r => r.CancelledBy).NotNull().IsInEnum();
        RuleFor(r => r.Reason).MaximumLength(1000).Visible();
        RuleFor(r => r.At).NotInFuture(clock);
    }
}

public sealed class HoldSessionRequestValidator : AbstractValidator<HoldSessionRequest>
{
    public HoldSessionRequestValidator(TimeProvider clock)
    {
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(1000).Visible();
        RuleFor(r => r.At).NotInFuture(clock);
    }
}

public sealed class SessionTransitionRequestValidator : AbstractValidator<SessionTransitionRequest>
{
    public SessionTransitionRequestValidator(TimeProvider clock) => RuleFor(r => r.At).NotInFuture(clock);
}
