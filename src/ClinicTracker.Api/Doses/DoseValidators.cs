using ClinicTracker.Api.Common;
using ClinicTracker.Core.Dosing;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Doses;

public sealed class RecordDoseRequestValidator : AbstractValidator<RecordDoseRequest>
{
    public RecordDoseRequestValidator(IOptions<DoseLimitsOptions> limits, TimeProvider clock)
    {
        RuleFor(r => r.Medication).NotNull().IsInEnum();
        RuleFor(r => r.Route).NotNull().IsInEnum()
            .Must((r, route) => r.Medication is null || MedicationRoutes.IsAllowed(r.Medication.Value, route!.Value))
            .WithMessage("esketamine is given intranasally only (domain.md §2).");
        RuleFor(r => r.AmountMg).NotNull().Milligrams();
        RuleFor(r => r.LotNumber).NotEmpty().MaximumLength(64).Visible();
        // An override reason that is sent must be readable: an invisible one would pass as a reason (domain.md §3).
        RuleFor(r => r.OverrideReason).MaximumLength(1000).Visible();
        // domain.md §3: an override names the codes it accepts, and a reason goes with them.
        RuleFor(r => r.OverrideReason).NotEmpty().When(r => r.AcceptedWarnings is { Count: > 0 })
            .WithMessage("overrideReason is required when acceptedWarnings are given.");
        RuleFor(r => r.AcceptedWarnings).ItemCount(0, DoseLimitCodes.Overridable.Count);
        RuleForEach(r => r.AcceptedWarnings).Must(code => code is not null && DoseLimitCodes.Overridable.Contains(code))
            .WithMessage(_ => "Not a warning code an override may accept: one of " + string.Join(", ", DoseLimitCodes.Overridable.Order(StringComparer.Ordinal)) + ".");
        RuleFor(r => r.ReplacesDoseId).NotEqual(Guid.Empty);
        RuleFor(r => r.AdministeredAt).NotInFuture(clock);
        RuleFor(r => r.InfusionStartedAt).NotInFuture(clock);
        RuleFor(r => r.InfusionEndedAt).NotInFuture(clock);

        When(r => r.Route == AdministrationRoute.Intravenous, () =>
        {
            RuleFor(r => r.InfusionStartedAt).NotNull().WithMessage("An intravenous dose needs infusionStartedAt.");
            RuleFor(r => r.InfusionEndedAt).NotNull().WithMessage("An intravenous dose needs infusionEndedAt.")
                .GreaterThan(r => r.InfusionStartedAt).When(r => r.InfusionStartedAt is not null)
                .WithMessage("infusionEndedAt must be after infusionStartedAt.")
                .Must((r, end) => end!.Value - r.InfusionStartedAt!.Value <= TimeSpan.FromHours(12)).When(r => r.InfusionStartedAt is not null)
                .WithMessage("An infusion longer than 12 hours is not a ketamine-for-depression infusion.");
            RuleFor(r => r.AdministeredAt).Null().WithMessage("An intravenous dose uses infusionStartedAt/infusionEndedAt, not administeredAt.");
        }).Otherwise(() =>
        {
            RuleFor(r => r.AdministeredAt).NotNull().WithMessage("administeredAt is required for this route.");
            RuleFor(r => r.InfusionStartedAt).Null().WithMessage("Only intravenous doses have infusion times.");
            RuleFor(r => r.InfusionEndedAt).Null().WithMessage("Only intravenous doses have infusion times.");
        });

        // Spravato label: 28 mg devices, so the amount is devices × 28.
        When(r => r.Medication == Medication.Esketamine, () =>
        {
            RuleFor(r => r.DeviceCount).NotNull().InclusiveBetween(1, 3);
            RuleFor(r => r.AmountMg)
                .Must((r, amount) => r.DeviceCount is null || amount == r.DeviceCount * limits.Value.IntranasalEsketamine.DeviceMg)
                .WithMessage(r => $"amountMg must equal deviceCount × {limits.Value.IntranasalEsketamine.DeviceMg} mg.");
        }).Otherwise(() => RuleFor(r => r.DeviceCount).Null().WithMessage("deviceCount applies to esketamine nasal spray devices only."));
    }
}

public sealed class RecordWasteRequestValidator : AbstractValidator<RecordWasteRequest>
{
    public RecordWasteRequestValidator(TimeProvider clock)
    {
        RuleFor(r => r.AmountMg).NotNull().Milligrams();
        RuleFor(r => r.WitnessUserName).NotEmpty().MaximumLength(100).Visible();
        RuleFor(r => r.WastedAt).NotNull().NotInFuture(clock);
        RuleFor(r => r.LotNumber).MaximumLength(64).Visible();
    }
}
