using ClinicTracker.Api.Common;
using ClinicTracker.Core.Monitoring;
using FluentValidation;

namespace ClinicTracker.Api.Monitoring;

public sealed class RecordObservationRequestValidator : AbstractValidator<RecordObservationRequest>
{
    public RecordObservationRequestValidator(TimeProvider clock)
    {
        RuleFor(r => r.Kind).NotNull().IsInEnum();
        RuleFor(r => r.ObservedAt).NotNull().NotInFuture(clock);
        // The ranges of domain.md §5, one rule set in Core.
        RuleFor(r => r).Custom((r, context) =>
        {
            if (r.Kind is not { } kind || !Enum.IsDefined(kind))
            {
                return;
            }

            foreach (var (field, message) in ObservationRules.Validate(kind, r.Systolic, r.Diastolic, r.Value))
            {
                context.AddFailure(field, message);
            }
        });
    }
}

public sealed class RecordAdverseEventRequestValidator : AbstractValidator<RecordAdverseEventRequest>
{
    public RecordAdverseEventRequestValidator(TimeProvider clock)
    {
        RuleFor(r => r.Type).NotNull().IsInEnum();
        RuleFor(r => r.OtherType).NotEmpty().MaximumLength(100).Visible().When(r => r.Type == AdverseEventType.Other)
            .WithMessage("otherType says what the event was when type is other.");
        RuleFor(r => r.OtherType).Null().When(r => r.Type != AdverseEventType.Other).WithMessage("otherType goes with type other only.");
        RuleFor(r => r.Severity).NotNull().IsInEnum();
        RuleFor(r => r.OnsetAt).NotNull().NotInFuture(clock);
        RuleFor(r => r.ResolvedAt).NotInFuture(clock)
            .GreaterThanOrEqualTo(r => r.OnsetAt).When(r => r.ResolvedAt is not null && r.OnsetAt is not null)
            .WithMessage("resolvedAt cannot be before onsetAt.");
        RuleFor(r => r.Description).MaximumLength(2000).Visible();
    }
}

public sealed class ResolveAdverseEventRequestValidator : AbstractValidator<ResolveAdverseEventRequest>
{
    public ResolveAdverseEventRequestValidator(TimeProvider clock) => RuleFor(r => r.ResolvedAt).NotNull().NotInFuture(clock);
}
