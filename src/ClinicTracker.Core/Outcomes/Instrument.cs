namespace ClinicTracker.Core.Outcomes;

/// <summary>The outcome questionnaires of domain.md §7. Serialized kebab-case lower ("phq9", "madrs").</summary>
public enum Instrument
{
    /// <summary>Patient Health Questionnaire, 9 items, each 0–3 (Kroenke 2001); self-report.</summary>
    Phq9,

    /// <summary>Montgomery–Åsberg Depression Rating Scale, 10 items, each 0–6; clinician-rated.</summary>
    Madrs,
}
