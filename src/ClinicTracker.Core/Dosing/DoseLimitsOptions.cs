using ClinicTracker.Core.Common;
using static System.FormattableString;

namespace ClinicTracker.Core.Dosing;

/// <summary>
/// The subanesthetic dose limits of domain.md §3, bound from the "DoseLimits" configuration section.
/// Defaults are the domain's design defaults; a clinic changes them in configuration, never in code.
/// Soft limits warn (a prescriber may override with a reason); hard limits refuse the dose.
/// All limits apply to the patient's 24-hour total of the medication (<see cref="DoseWindow"/>).
/// </summary>
public sealed class DoseLimitsOptions : IValidatableOptions
{
    public const string Section = "DoseLimits";

    public IntravenousKetamineLimits IntravenousKetamine { get; set; } = new();

    public IntranasalEsketamineLimits IntranasalEsketamine { get; set; } = new();

    public IntranasalKetamineLimits IntranasalKetamine { get; set; } = new();

    public OralKetamineLimits OralKetamine { get; set; } = new();

    public SublingualKetamineLimits SublingualKetamine { get; set; } = new();

    /// <summary>
    /// Settings that make no sense: a number that is not positive, or a soft limit above its hard limit.
    /// Each message names the configuration key. Empty when the options are usable.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();

        const string iv = Section + ":" + nameof(IntravenousKetamine);
        Positive(iv, nameof(IntravenousKetamineLimits.SoftMgPerKg), IntravenousKetamine.SoftMgPerKg);
        Positive(iv, nameof(IntravenousKetamineLimits.HardMgPerKg), IntravenousKetamine.HardMgPerKg);
        Positive(iv, nameof(IntravenousKetamineLimits.MinInfusionMinutes), IntravenousKetamine.MinInfusionMinutes);
        NotAbove(iv, nameof(IntravenousKetamineLimits.SoftMgPerKg), IntravenousKetamine.SoftMgPerKg,
            nameof(IntravenousKetamineLimits.HardMgPerKg), IntravenousKetamine.HardMgPerKg);

        const string es = Section + ":" + nameof(IntranasalEsketamine);
        Positive(es, nameof(IntranasalEsketamineLimits.DeviceMg), IntranasalEsketamine.DeviceMg);
        Positive(es, nameof(IntranasalEsketamineLimits.FirstSessionMaxMg), IntranasalEsketamine.FirstSessionMaxMg);
        Positive(es, nameof(IntranasalEsketamineLimits.FirstSessionMaxMgAge65), IntranasalEsketamine.FirstSessionMaxMgAge65);
        Positive(es, nameof(IntranasalEsketamineLimits.SeniorAge), IntranasalEsketamine.SeniorAge);
        Positive(es, nameof(IntranasalEsketamineLimits.MaxIncreaseMg), IntranasalEsketamine.MaxIncreaseMg);
        Positive(es, nameof(IntranasalEsketamineLimits.HardMaxMg), IntranasalEsketamine.HardMaxMg);
        NotAbove(es, nameof(IntranasalEsketamineLimits.FirstSessionMaxMg), IntranasalEsketamine.FirstSessionMaxMg,
            nameof(IntranasalEsketamineLimits.HardMaxMg), IntranasalEsketamine.HardMaxMg);
        NotAbove(es, nameof(IntranasalEsketamineLimits.FirstSessionMaxMgAge65), IntranasalEsketamine.FirstSessionMaxMgAge65,
            nameof(IntranasalEsketamineLimits.HardMaxMg), IntranasalEsketamine.HardMaxMg);

        const string inKetamine = Section + ":" + nameof(IntranasalKetamine);
        Positive(inKetamine, nameof(IntranasalKetamineLimits.SoftMaxMg), IntranasalKetamine.SoftMaxMg);
        Positive(inKetamine, nameof(IntranasalKetamineLimits.HardMaxMg), IntranasalKetamine.HardMaxMg);
        NotAbove(inKetamine, nameof(IntranasalKetamineLimits.SoftMaxMg), IntranasalKetamine.SoftMaxMg,
            nameof(IntranasalKetamineLimits.HardMaxMg), IntranasalKetamine.HardMaxMg);

        const string oral = Section + ":" + nameof(OralKetamine);
        Positive(oral, nameof(OralKetamineLimits.SoftMgPerKg), OralKetamine.SoftMgPerKg);
        Positive(oral, nameof(OralKetamineLimits.HardMgPerKg), OralKetamine.HardMgPerKg);
        Positive(oral, nameof(OralKetamineLimits.HardMaxMg), OralKetamine.HardMaxMg);
        NotAbove(oral, nameof(OralKetamineLimits.SoftMgPerKg), OralKetamine.SoftMgPerKg,
            nameof(OralKetamineLimits.HardMgPerKg), OralKetamine.HardMgPerKg);

        const string sl = Section + ":" + nameof(SublingualKetamine);
        Positive(sl, nameof(SublingualKetamineLimits.SoftMaxMg), SublingualKetamine.SoftMaxMg);
        Positive(sl, nameof(SublingualKetamineLimits.HardMaxMg), SublingualKetamine.HardMaxMg);
        NotAbove(sl, nameof(SublingualKetamineLimits.SoftMaxMg), SublingualKetamine.SoftMaxMg,
            nameof(SublingualKetamineLimits.HardMaxMg), SublingualKetamine.HardMaxMg);

        return problems;

        void Positive(string section, string key, decimal value)
        {
            if (value <= 0)
            {
                problems.Add(Invariant($"{section}:{key} ({value}) must be greater than 0."));
            }
        }

        void NotAbove(string section, string softKey, decimal soft, string hardKey, decimal hard)
        {
            if (soft > hard)
            {
                problems.Add(Invariant($"{section}:{softKey} ({soft}) is above {hardKey} ({hard})."));
            }
        }
    }
}

/// <summary>Ketamine by infusion (domain.md §3).</summary>
public sealed class IntravenousKetamineLimits
{
    /// <summary>Andrade 2017: 0.75 mg/kg is the top of the usual range.</summary>
    public decimal SoftMgPerKg { get; set; } = 0.75m;

    /// <summary>Fava 2018: 1.0 mg/kg is the highest dose studied for depression; induction of anesthesia starts at 1 mg/kg.</summary>
    public decimal HardMgPerKg { get; set; } = 1.0m;

    /// <summary>An infusion shorter than this many minutes warns (0.5 mg/kg over 40 min is typical: Fava 2018).</summary>
    public int MinInfusionMinutes { get; set; } = 30;
}

/// <summary>Esketamine nasal spray (Spravato label).</summary>
public sealed class IntranasalEsketamineLimits
{
    /// <summary>Spravato label: one device delivers 28 mg.</summary>
    public decimal DeviceMg { get; set; } = 28m;

    /// <summary>Spravato label: day 1 is 56 mg.</summary>
    public decimal FirstSessionMaxMg { get; set; } = 56m;

    /// <summary>Spravato label: day 1 is 28 mg from age <see cref="SeniorAge"/>.</summary>
    public decimal FirstSessionMaxMgAge65 { get; set; } = 28m;

    /// <summary>Spravato label: patients of this age or older start at 28 mg.</summary>
    public int SeniorAge { get; set; } = 65;

    /// <summary>Spravato label: doses change in 28 mg steps.</summary>
    public decimal MaxIncreaseMg { get; set; } = 28m;

    /// <summary>Spravato label: sessions are 56 or 84 mg.</summary>
    public decimal HardMaxMg { get; set; } = 84m;
}

/// <summary>Compounded racemic ketamine nasal spray.</summary>
public sealed class IntranasalKetamineLimits
{
    /// <summary>Lapidus 2014: 50 mg was the trial dose.</summary>
    public decimal SoftMaxMg { get; set; } = 50m;

    public decimal HardMaxMg { get; set; } = 100m;
}

/// <summary>Oral racemic ketamine.</summary>
public sealed class OralKetamineLimits
{
    /// <summary>Andrade 2019: about 2–2.5 mg/kg oral gives IV-like exposure; above 3.0 mg/kg warns (domain.md §3 default).</summary>
    public decimal SoftMgPerKg { get; set; } = 3.0m;

    /// <summary>Andrade 2019: reported oral doses reach 7 mg/kg.</summary>
    public decimal HardMgPerKg { get; set; } = 7.0m;

    /// <summary>Andrade 2019: reported oral doses reach 300 mg.</summary>
    public decimal HardMaxMg { get; set; } = 300m;
}

/// <summary>Sublingual racemic ketamine (troches, rapid-dissolve tablets).</summary>
public sealed class SublingualKetamineLimits
{
    /// <summary>Troches are commonly 50–200 mg (domain.md §3).</summary>
    public decimal SoftMaxMg { get; set; } = 200m;

    public decimal HardMaxMg { get; set; } = 300m;
}
