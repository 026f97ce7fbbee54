using ClinicTracker.Api.Common;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Stock;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Stock;

/// <summary>Stock quantities: a delivery is larger than any dose, so the ceiling is a stock room's (10 kg), not a dose's.</summary>
internal static class StockRules
{
    public const decimal MaxStockMg = 10_000_000m;

    public static IRuleBuilderOptions<T, decimal?> StockMilligrams<T>(this IRuleBuilder<T, decimal?> rule, bool allowZero = false) =>
        (allowZero ? rule.GreaterThanOrEqualTo(0) : rule.GreaterThan(0)).LessThanOrEqualTo(MaxStockMg)
            .Must(v => v is null || Core.Common.Amounts.HasAtMostTwoDecimals(v.Value))
            .WithMessage("'{PropertyName}' has at most 2 decimals.");

    public static IRuleBuilderOptions<T, string?> Witness<T>(this IRuleBuilder<T, string?> rule) => rule.NotEmpty().MaximumLength(100).Visible();
}

public sealed class RecordReceiptRequestValidator : AbstractValidator<RecordReceiptRequest>
{
    public RecordReceiptRequestValidator(IOptions<DoseLimitsOptions> limits, TimeProvider clock)
    {
        RuleFor(r => r.SiteId).NotEqual(Guid.Empty);
        RuleFor(r => r.Medication).NotNull().IsInEnum();
        RuleFor(r => r.Form).NotNull().IsInEnum()
            .Must((r, form) => r.Medication is null || StockForms.Holds(r.Medication.Value, form!.Value))
            .WithMessage("esketamine comes as the nasal-spray-device only, and racemic ketamine in any other form (domain.md §2).");
        RuleFor(r => r.Strength).NotNull().GreaterThan(0).LessThanOrEqualTo(1000)
            .Must(v => v is null || decimal.Round(v.Value, 3) == v.Value).WithMessage("'Strength' has at most 3 decimals.");
        // Spravato label: one device holds 28 mg.
        RuleFor(r => r.Strength).Equal(limits.Value.IntranasalEsketamine.DeviceMg).When(r => r.Form == StockForm.NasalSprayDevice)
            .WithMessage(_ => $"A nasal-spray-device holds {limits.Value.IntranasalEsketamine.DeviceMg} mg.");
        RuleFor(r => r.LotNumber).NotEmpty().MaximumLength(64).Visible();
        RuleFor(r => r.ExpiresOn).NotNull();
        RuleFor(r => r.ExpiresOn).Must((r, expires) => expires >= DateOnly.FromDateTime(r.ReceivedAt!.Value.UtcDateTime.Date).AddDays(-1))
            .When(r => r.ExpiresOn is not null && r.ReceivedAt is not null)
            .WithMessage("The lot expired before it was received: return it to the supplier instead of receiving it.");
        RuleFor(r => r.Manufacturer).MaximumLength(200).Visible();
        RuleFor(r => r.QuantityMg).NotNull().StockMilligrams();
        // A unit form is received in whole units: 5 devices are 140 mg, never 150.
        RuleFor(r => r.QuantityMg)
            .Must((r, q) => decimal.Remainder(q!.Value, r.Strength!.Value) == 0)
            .When(r => r.QuantityMg is > 0 && r.Strength is > 0 && r.Form is { } f && !StockForms.IsPerMl(f))
            .WithMessage("quantityMg must be a whole number of units of the strength (mg per unit).");
        RuleFor(r => r.ReceivedAt).NotNull().NotInFuture(clock);
        RuleFor(r => r.Supplier).NotEmpty().MaximumLength(200).Visible();
        RuleFor(r => r.InvoiceNumber).NotEmpty().MaximumLength(64).Visible();
        RuleFor(r => r.WitnessUserName).Witness();
    }
}

public sealed class RecordDisposalRequestValidator : AbstractValidator<RecordDisposalRequest>
{
    public RecordDisposalRequestValidator(TimeProvider clock)
    {
        RuleFor(r => r.Kind).NotNull().IsInEnum();
        RuleFor(r => r.AmountMg).NotNull().StockMilligrams();
        RuleFor(r => r.DisposedAt).NotNull().NotInFuture(clock);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(1000).Visible();
        RuleFor(r => r.Reference).MaximumLength(100).Visible();
        RuleFor(r => r.WitnessUserName).Witness();
    }
}

public sealed class RecordCountRequestValidator : AbstractValidator<RecordCountRequest>
{
    public RecordCountRequestValidator(TimeProvider clock)
    {
        RuleFor(r => r.CountedMg).NotNull().StockMilligrams(allowZero: true);
        RuleFor(r => r.CountedAt).NotNull().NotInFuture(clock);
        RuleFor(r => r.Note).MaximumLength(1000).Visible();
        RuleFor(r => r.WitnessUserName).Witness();
    }
}

public sealed class ResolveDiscrepancyRequestValidator : AbstractValidator<ResolveDiscrepancyRequest>
{
    public ResolveDiscrepancyRequestValidator()
    {
        RuleFor(r => r.Resolution).NotNull().IsInEnum();
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(1000).Visible();
    }
}
