using static System.FormattableString;

namespace ClinicTracker.Core.Monitoring;

/// <summary>Plausible ranges, session flags and codes of observations (domain.md §5).</summary>
public static class ObservationRules
{
    /// <summary>LOINC: blood pressure panel with all children optional.</summary>
    public const string BloodPressurePanelLoinc = "85354-9";

    /// <summary>LOINC: systolic blood pressure.</summary>
    public const string SystolicLoinc = "8480-6";

    /// <summary>LOINC: diastolic blood pressure.</summary>
    public const string DiastolicLoinc = "8462-4";

    /// <summary>LOINC: heart rate.</summary>
    public const string HeartRateLoinc = "8867-4";

    /// <summary>LOINC: oxygen saturation in arterial blood.</summary>
    public const string Spo2Loinc = "2708-6";

    /// <summary>LOINC: oxygen saturation in arterial blood by pulse oximetry (the code FHIR vital signs add to 2708-6).</summary>
    public const string Spo2PulseOximetryLoinc = "59408-5";

    public const string SystolicField = "systolic";
    public const string DiastolicField = "diastolic";
    public const string ValueField = "value";

    /// <summary>domain.md §5: an SpO2 below this flags the session.</summary>
    public const int Spo2FlagBelow = 90;

    /// <summary>domain.md §5: a CADSS total above this counts as dissociation.</summary>
    public const int CadssDissociationAbove = 4;

    /// <summary>
    /// What is wrong with an observation's numbers, each with the request field it concerns; empty when
    /// valid. Blood pressure uses systolic and diastolic and no value; every other kind uses value only.
    /// Ranges are inclusive (domain.md §5).
    /// </summary>
    public static IReadOnlyList<(string Field, string Message)> Validate(ObservationKind kind, int? systolic, int? diastolic, int? value)
    {
        var problems = new List<(string Field, string Message)>();

        if (kind == ObservationKind.BloodPressure)
        {
            // domain.md §5: systolic 50–300, diastolic 20–200 mmHg, systolic > diastolic.
            Required(SystolicField, "Systolic blood pressure", systolic, 50, 300, "mmHg");
            Required(DiastolicField, "Diastolic blood pressure", diastolic, 20, 200, "mmHg");
            if (systolic is { } s && diastolic is { } d && s <= d)
            {
                problems.Add((SystolicField, Invariant($"Systolic ({s}) must be greater than diastolic ({d}).")));
            }

            if (value is not null)
            {
                problems.Add((ValueField, "value must be empty for blood pressure; send systolic and diastolic."));
            }

            return problems;
        }

        var (name, min, max, unit) = kind switch
        {
            ObservationKind.HeartRate => ("Heart rate", 20, 250, "/min"),
            ObservationKind.Spo2 => ("SpO2", 50, 100, "%"),
            // CADSS: 23 items, each 0–4 → 0–92.
            ObservationKind.Cadss => ("CADSS total", 0, 92, ""),
            // MOAA/S: 0 (no response) to 5 (responds readily to name spoken in normal tone).
            ObservationKind.Moaas => ("MOAA/S", 0, 5, ""),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown observation kind."),
        };
        Required(ValueField, name, value, min, max, unit);
        if (systolic is not null)
        {
            problems.Add((SystolicField, Invariant($"systolic must be empty for {name}; send value.")));
        }

        if (diastolic is not null)
        {
            problems.Add((DiastolicField, Invariant($"diastolic must be empty for {name}; send value.")));
        }

        return problems;

        void Required(string field, string what, int? number, int low, int high, string units)
        {
            var suffix = units.Length == 0 ? "" : " " + units;
            if (number is null)
            {
                problems.Add((field, Invariant($"{field} is required: {what} ({low}–{high}{suffix}).")));
            }
            else if (number < low || number > high)
            {
                problems.Add((field, Invariant($"{what} must be between {low} and {high}{suffix} (got {number}).")));
            }
        }
    }

    /// <summary>
    /// Whether the observation flags the session (domain.md §5): a MOAA/S of 0 (no response, loss of
    /// consciousness) or an SpO2 below 90 %. Other kinds, and a missing value, never flag.
    /// </summary>
    public static bool FlagsSession(ObservationKind kind, int? value) => (kind, value) switch
    {
        (ObservationKind.Moaas, 0) => true,
        (ObservationKind.Spo2, < Spo2FlagBelow) => true,
        _ => false,
    };

    /// <summary>domain.md §5: a CADSS total above 4 counts as dissociation.</summary>
    public static bool IsDissociation(int cadss) => cadss > CadssDissociationAbove;
}
