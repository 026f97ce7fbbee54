using ClinicTracker.Core.Dosing;

namespace ClinicTracker.Core.Plans;

/// <summary>The built-in plan templates of domain.md §6, expanded into phases for a start date.</summary>
public static class PlanTemplates
{
    /// <summary>
    /// Name of the induction phase in every template; the adherence report (domain.md §10) says whether
    /// the phase of this name is complete.
    /// </summary>
    public const string InductionPhase = "induction";

    public const string IvInduction = "iv-induction";
    public const string EsketamineStandard = "esketamine-standard";

    /// <summary>The template names a plan request may use, exactly as spelled here.</summary>
    public static IReadOnlyList<string> Names { get; } = [IvInduction, EsketamineStandard];

    /// <summary>
    /// Whether <paramref name="template"/> was written for this medication and route (domain.md §6):
    /// <c>iv-induction</c> is the schedule of IV ketamine infusions (Zheng 2019), <c>esketamine-standard</c>
    /// the Spravato label's (esketamine is intranasal only). A name that is not a template fits nothing.
    /// </summary>
    public static bool Fits(string template, Medication medication, AdministrationRoute route) => template switch
    {
        IvInduction => medication == Medication.Ketamine && route == AdministrationRoute.Intravenous,
        EsketamineStandard => medication == Medication.Esketamine && route == AdministrationRoute.Intranasal,
        _ => false,
    };

    /// <summary>What <paramref name="template"/> is for, as a phrase ("ketamine by the intravenous route"); null for an unknown name.</summary>
    public static string? IntendedFor(string template) => template switch
    {
        IvInduction => "ketamine by the intravenous route",
        EsketamineStandard => "esketamine (intranasal)",
        _ => null,
    };

    /// <summary>
    /// The phases of <paramref name="template"/> for a plan starting on <paramref name="startDate"/>, or
    /// null when the name is not a template (matched ordinally: names are API values, not free text).
    /// </summary>
    public static IReadOnlyList<PlanPhase>? Phases(string template, DateOnly startDate) => template switch
    {
        // Zheng 2019: 6 infusions over 12 days, on Monday, Wednesday and Friday.
        IvInduction =>
        [
            new PlanPhase(InductionPhase, 6, null, [DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday]),
        ],

        // Spravato label: induction twice weekly in weeks 1–4 (8 sessions), sessions 3 and 4 days apart
        // from the start day; weekly in weeks 5–8 (4 sessions); then weekly or every 2 weeks. The template
        // takes every 2 weeks (12 sessions, 24 weeks); weekly maintenance is sent as explicit phases.
        EsketamineStandard =>
        [
            new PlanPhase(InductionPhase, 8, null, [startDate.DayOfWeek, (DayOfWeek)(((int)startDate.DayOfWeek + 3) % 7)]),
            new PlanPhase("optimization", 4, 7, null),
            new PlanPhase("maintenance", 12, 14, null),
        ],

        _ => null,
    };
}
