using ClinicTracker.Api.Common;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Plans;
using FluentValidation;

namespace ClinicTracker.Api.Plans;

public sealed class CreatePlanRequestValidator : AbstractValidator<CreatePlanRequest>
{
    public CreatePlanRequestValidator()
    {
        RuleFor(r => r.Medication).NotNull().IsInEnum();
        RuleFor(r => r.Route).NotNull().IsInEnum()
            .Must((r, route) => r.Medication is null || MedicationRoutes.IsAllowed(r.Medication.Value, route!.Value))
            .WithMessage("esketamine is given intranasally only (domain.md §2).");
        RuleFor(r => r.StartDate).NotNull();
        RuleFor(r => r.TimeZone).NotEmpty().Must(ClinicTime.IsKnownZone).WithMessage("timeZone must be an IANA time zone id, e.g. Europe/London.");
        RuleFor(r => r.ToleranceDays).InclusiveBetween(0, 7);
        RuleFor(r => r).Must(r => (r.Template is null) != (r.Phases is null))
            .WithName("template").WithMessage("Send either template or phases, not both and not neither.");
        RuleFor(r => r.Template).Must(t => PlanTemplates.Names.Contains(t))
            .When(r => r.Template is not null)
            .WithMessage($"template must be one of: {string.Join(", ", PlanTemplates.Names)}.");
        RuleFor(r => r.Phases).ItemCount(ScheduleGenerator.MinPhases, ScheduleGenerator.MaxPhases);
        RuleForEach(r => r.Phases).SetValidator(new PlanPhaseRequestValidator());
        RuleFor(r => r.Phases).Must(p => ScheduleGenerator.Validate(ToPhases(p!)).Count == 0)
            .When(r => r.Phases is not null && r.Phases.All(p => p.Name is not null && p.Sessions is not null))
            .WithMessage((_, p) => string.Join(" ", ScheduleGenerator.Validate(ToPhases(p!))));
        RuleFor(r => r).Must(r => (r.TargetDoseMg is null) != (r.TargetDoseMgPerKg is null))
            .WithName("targetDoseMg").WithMessage("Send either targetDoseMg or targetDoseMgPerKg.");
        RuleFor(r => r.TargetDoseMg).Milligrams();
        RuleFor(r => r.TargetDoseMgPerKg).GreaterThan(0).LessThanOrEqualTo(10);
    }

    internal static IReadOnlyList<PlanPhase> ToPhases(IReadOnlyList<PlanPhaseRequest> phases) =>
        [.. phases.Select(p => new PlanPhase(p.Name!, p.Sessions!.Value, p.EveryDays, p.Weekdays))];
}

/// <summary>One phase of an explicit schedule (its own validator, so the OpenAPI document shows its rules too).</summary>
public sealed class PlanPhaseRequestValidator : AbstractValidator<PlanPhaseRequest>
{
    public PlanPhaseRequestValidator()
    {
        RuleFor(p => p.Name).NotEmpty().MaximumLength(ScheduleGenerator.MaxNameLength).Visible();
        RuleFor(p => p.Sessions).NotNull().InclusiveBetween(ScheduleGenerator.MinSessions, ScheduleGenerator.MaxSessions);
        RuleFor(p => p.EveryDays).InclusiveBetween(ScheduleGenerator.MinEveryDays, ScheduleGenerator.MaxEveryDays);
        RuleFor(p => p.Weekdays).ItemCount(1, 7);
        RuleForEach(p => p.Weekdays).IsInEnum();
    }
}

public sealed class DiscontinuePlanRequestValidator : AbstractValidator<DiscontinuePlanRequest>
{
    public DiscontinuePlanRequestValidator(TimeProvider clock)
    {
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(1000).Visible();
        RuleFor(r => r.At).NotInFuture(clock);
    }
}
