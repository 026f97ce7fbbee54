using ClinicTracker.Api.Common;
using ClinicTracker.Core.Outcomes;
using FluentValidation;
using FluentValidation.Results;

namespace ClinicTracker.Api.Outcomes;

public sealed class RecordAssessmentRequestValidator : AbstractValidator<RecordAssessmentRequest>
{
    public RecordAssessmentRequestValidator(TimeProvider clock)
    {
        RuleFor(r => r.Instrument).NotNull().IsInEnum();
        RuleFor(r => r.Items).NotNull().ItemCount(FewestItems, MostItems);
        RuleFor(r => r.AssessedAt).NotNull().NotInFuture(clock);

        // domain.md §7: the answers are checked by the scoring rules themselves. Each message starts with the
        // field it is about ("items" for a wrong count, "items[i]" for an answer out of range), used as the error key.
        RuleFor(r => r.Items).Custom((items, context) =>
        {
            foreach (var problem in AssessmentScoring.ValidateItems(context.InstanceToValidate.Instrument!.Value, items!))
            {
                var space = problem.IndexOf(' ', StringComparison.Ordinal);
                context.AddFailure(new ValidationFailure(space > 0 ? problem[..space] : "items", problem));
            }
        }).When(r => r.Instrument is { } instrument && Enum.IsDefined(instrument) && r.Items is not null);

        // domain.md §7: the server computes the total; a client-sent total that disagrees is a 400.
        RuleFor(r => r.Total)
            .Must((r, total) => total == r.Items!.Sum())
            .When(r => r.Total is not null && Scorable(r))
            .WithMessage(r => $"total ({r.Total}) disagrees with the sum of the items ({r.Items!.Sum()}); the server computes the total.");
    }

    // domain.md §7: PHQ-9 has 9 items, MADRS 10; the exact count per instrument is checked by the scoring rules.
    private static readonly int FewestItems = Enum.GetValues<Instrument>().Min(AssessmentScoring.ItemCount);
    private static readonly int MostItems = Enum.GetValues<Instrument>().Max(AssessmentScoring.ItemCount);

    private static bool Scorable(RecordAssessmentRequest r) =>
        r.Instrument is { } instrument && Enum.IsDefined(instrument) && r.Items is not null &&
        AssessmentScoring.ValidateItems(instrument, r.Items).Count == 0;
}

public sealed class AcknowledgeSafetyFlagRequestValidator : AbstractValidator<AcknowledgeSafetyFlagRequest>
{
    public AcknowledgeSafetyFlagRequestValidator() => RuleFor(r => r.ActionTaken).NotEmpty().MaximumLength(1000).Visible();
}
