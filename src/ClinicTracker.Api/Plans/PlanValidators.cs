using ClinicTracker.Api.Common;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Plans;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Plans;

public sealed class CreatePlanRequestValidator : AbstractValidator<CreatePlanRequest>
{
    public CreatePlanRequestValidator(IOptions<DoseLimitsOptions> limits)
    {
        RuleFor(r => r.Medication).NotNull().IsInEnum();
        RuleFor(r => r.Route).NotNull().IsInEnum()
            .Must((r, route) => r.Medication is null || MedicationRoutes.IsAllowed(r.Medication.Value, route!.Value))
            .WithMessage("esketamine is given intranasally only (domain.md §2).");
        RuleFor(r => r.StartDate).NotNull();
        RuleFor(r => r.TimeZone).Must(ClinicTime.IsKnownZone).When(r => r.TimeZone is not null).WithMessage("timeZone must be an IANA time zone id, e.g. Europe/London.");
        RuleFor(r => r.ToleranceDays).InclusiveBetween(0, 7);
        RuleFor(r => r).Must(r => (r.Template is null) != (r.Phases is null))
            .WithName("template").WithMessage("Send either template or phases, not both and not neither.");
        RuleFor(r => r.Template)
            .Must(t => PlanTemplates.Names.Contains(t))
            .WithMessage($"template must be one of: {string.Join(", ", PlanTemplates.Names)}.")
            // domain.md §6: each built-in template is the schedule of one medication and route.
            .Must((r, t) => !IsKnownPair(r) || PlanTemplates.Fits(t!, r.Medication!.Value, r.Route!.Value))
            .WithMessage((r, t) => $"template {t} is for {PlanTemplates.IntendedFor(t!)}, not {EnumNames.Kebab(r.Medication!.Value)} by the {EnumNames.Kebab(r.Route!.Value)} route.")
            .When(r => r.Template is not null);
        RuleFor(r => r.Phases).ItemCount(ScheduleGenerator.MinPhases, ScheduleGenerator.MaxPhases);
        RuleForEach(r => r.Phases).SetValidator(new PlanPhaseRequestValidator());
        RuleFor(r => r.Phases).Must(p => ScheduleGenerator.Validate(ToPhases(p!)).Count == 0)
            .When(r => r.Phases is not null && r.Phases.All(p => p.Name is not null && p.Sessions is not null))
            .WithMessage((_, p) => string.Join(" ", ScheduleGenerator.Validate(ToPhases(p!))));
        RuleFor(r => r).Must(r => (r.TargetDoseMg is null) != (r.TargetDoseMgPerKg is null))
            .WithName("targetDoseMg").WithMessage("Send either targetDoseMg or targetDoseMgPerKg.");
        // domain.md §3: a target above the route's hard limit could never be given, so the plan is refused.
        RuleFor(r => r.TargetDoseMg).Milligrams()
            .Must((r, mg) => mg is null || !IsKnownPair(r) || PlanTargets.MgRefusal(limits.Value, r.Medication!.Value, r.Route!.Value, mg!.Value) is null)
            .WithMessage((r, mg) => PlanTargets.MgRefusal(limits.Value, r.Medication!.Value, r.Route!.Value, mg!.Value));
        RuleFor(r => r.TargetDoseMgPerKg).GreaterThan(0).LessThanOrEqualTo(10)
            .Must((r, perKg) => perKg is null || !IsKnownPair(r) || PlanTargets.MgPerKgRefusal(limits.Value, r.Medication!.Value, r.Route!.Value, perKg!.Value) is null)
            .WithMessage((r, perKg) => PlanTargets.MgPerKgRefusal(limits.Value, r.Medication!.Value, r.Route!.Value, perKg!.Value));
    }

    /// <summary>Medication and route are both sent, known, and allowed together, so the pair's rules can be judged.</summary>
    private static bool IsKnownPair(CreatePlanRequest r) =>
        r.Medication is { } m && r.Route is { } route && Enum.IsDefined(m) && Enum.IsDefined(route) && MedicationRoutes.IsAllowed(m, route);

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

public sealed class CompletePlanRequestValidator : AbstractValidator<CompletePlanRequest>
{
    public CompletePlanRequestValidator(TimeProvider clock) => RuleFor(r => r.At).NotInFuture(clock);
}
