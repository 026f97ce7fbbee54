using ClinicTracker.Api.Common;
using ClinicTracker.Core.Patients;

namespace ClinicTracker.Api.Demo;

/// <summary>One demo staff member: a register entry and, for the first of each role, a printed token.</summary>
public sealed record DemoStaffMember(string UserName, string DisplayName, string Role, string? RegistrationNumber = null);

/// <summary>What a patient's PHQ-9 does over the course (domain.md §7: response ≤ 50 % of baseline, remission &lt; 5).</summary>
public enum DemoTrajectory
{
    /// <summary>Latest at or below half the baseline, never below 5.</summary>
    Responder,

    /// <summary>Latest below 5: the clinic's one remission.</summary>
    Remission,

    /// <summary>Improves, but the latest stays above half the baseline.</summary>
    Partial,

    /// <summary>Latest within a point of the baseline.</summary>
    NonResponder,
}

/// <summary>A session of the course that did not happen as planned (domain.md §10's missed reasons, and a late one).</summary>
public enum DemoMiss
{
    NoShow,
    CancelledByPatient,
    CancelledByClinic,
    Held,

    /// <summary>Nothing at all in the due date's window: the adherence report says <c>not-scheduled</c>.</summary>
    NotScheduled,

    /// <summary>Completed two days after the due date, outside its window: <c>late</c>.</summary>
    Late,
}

/// <summary>
/// The demo clinic's people. Every name is made up and reads as such (surnames like "Testwood" and "Sampleby"), MRNs
/// start with DEMO-, and each diagnosis says "demo record": no real person is described.
/// </summary>
public static class DemoPeople
{
    public const int PatientCount = 30;

    /// <summary>Patients 0–13 have IV racemic ketamine, 14–29 intranasal esketamine (domain.md §2).</summary>
    public const int IvPatients = 14;

    public static readonly DemoStaffMember FrontDesk = new("demo.frontdesk", "Robin Testwood (front desk)", Roles.FrontDesk);
    public static readonly DemoStaffMember Nurse = new("demo.nurse", "Kim Sampleby, RN", Roles.Nurse, "RN-DEMO-0001");
    public static readonly DemoStaffMember Prescriber = new("demo.prescriber", "Dr. Sam Placeholt", Roles.Prescriber, "MD-DEMO-0001");
    public static readonly DemoStaffMember Admin = new("demo.admin", "Alex Mockford (clinic admin)", Roles.Admin);
    public static readonly DemoStaffMember Integrator = new("demo.integrator", "Demo EHR bridge (system client)", Roles.Integrator);

    /// <summary>The second nurse witnesses controlled-substance waste (domain.md §8: not the recorder, not the administrator).</summary>
    public static readonly DemoStaffMember WitnessNurse = new("demo.nurse2", "Lee Fauxmont, RN", Roles.Nurse, "RN-DEMO-0002");

    /// <summary>Everyone in the staff register, in the order registered; the first five get printed tokens.</summary>
    public static readonly IReadOnlyList<DemoStaffMember> Staff = [FrontDesk, Nurse, Prescriber, Admin, Integrator, WitnessNurse];

    private static readonly string[] GivenNames =
    [
        "Avery", "Blake", "Casey", "Dana", "Emery", "Finley", "Gray", "Harper", "Indra", "Jules",
        "Kendall", "Lane", "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Reese", "Sage", "Tatum",
        "Uma", "Vale", "Wren", "Xavi", "Yael", "Zion", "Arden", "Briar", "Cove", "Dell",
    ];

    private static readonly string[] FamilyNames =
    [
        "Testwood", "Sampleby", "Demoski", "Placeholt", "Mockford", "Fauxmont", "Dummerly", "Exampleton",
        "Fictorn", "Pretendale", "Stubbins", "Notreal", "Fakeley", "Mockett", "Sampleton",
    ];

    private static readonly Dictionary<int, DemoTrajectory> Trajectories = new()
    {
        [2] = DemoTrajectory.Remission,
        [0] = DemoTrajectory.Responder, [4] = DemoTrajectory.Responder, [7] = DemoTrajectory.Responder, [10] = DemoTrajectory.Responder,
        [15] = DemoTrajectory.Responder, [18] = DemoTrajectory.Responder, [21] = DemoTrajectory.Responder,
        [24] = DemoTrajectory.Responder, [27] = DemoTrajectory.Responder,
        [5] = DemoTrajectory.NonResponder, [11] = DemoTrajectory.NonResponder, [19] = DemoTrajectory.NonResponder,
        [22] = DemoTrajectory.NonResponder, [26] = DemoTrajectory.NonResponder,
    };

    /// <summary>(patient, due-date index) → what happened instead of an on-time completed session.</summary>
    public static readonly IReadOnlyDictionary<(int Patient, int Due), DemoMiss> Misses = new Dictionary<(int, int), DemoMiss>
    {
        [(3, 3)] = DemoMiss.NoShow,
        [(6, 2)] = DemoMiss.CancelledByPatient,
        [(8, 1)] = DemoMiss.Held,
        [(12, 4)] = DemoMiss.NotScheduled,
        [(16, 8)] = DemoMiss.Late,
        [(17, 4)] = DemoMiss.NoShow,
        [(19, 5)] = DemoMiss.NotScheduled,
        [(19, 6)] = DemoMiss.NotScheduled,
        [(20, 5)] = DemoMiss.CancelledByPatient,
        [(23, 3)] = DemoMiss.CancelledByClinic,
        [(23, 5)] = DemoMiss.NotScheduled,
        [(25, 2)] = DemoMiss.NoShow,
        [(28, 3)] = DemoMiss.NotScheduled,
        [(28, 6)] = DemoMiss.NoShow,
    };

    /// <summary>The one patient whose latest PHQ-9 scores item 9 above 0: a safety flag left open for a prescriber.</summary>
    public const int FlaggedPatient = 22;

    /// <summary>The one patient aged 65 or more: esketamine starts at 28 mg (domain.md §3).</summary>
    public const int SeniorPatient = 27;

    /// <summary>The esketamine patient whose plan a prescriber discontinues after induction.</summary>
    public const int DiscontinuedPatient = 26;

    /// <summary>The IV patient whose fifth infusion (0.8 mg/kg) is over the soft limit and recorded with a prescriber's override.</summary>
    public const int OverridePatient = 11;

    public static string Mrn(int i) => $"DEMO-{i + 1:0000}";

    public static string GivenName(int i) => GivenNames[i];

    public static string FamilyName(int i) => FamilyNames[i % FamilyNames.Length];

    public static Sex SexOf(int i) => i % 3 == 1 ? Sex.Male : i == 13 ? Sex.Other : Sex.Female;

    public static DateOnly DateOfBirth(int i) =>
        i == SeniorPatient ? new DateOnly(1958, 4, 12) : new DateOnly(1965 + (i * 7 % 35), 1 + (i * 5 % 12), 1 + (i * 11 % 28));

    public static bool IsIv(int i) => i < IvPatients;

    public static DemoTrajectory TrajectoryOf(int i) => Trajectories.GetValueOrDefault(i, DemoTrajectory.Partial);

    /// <summary>Baseline PHQ-9 total: 14–24, moderate to severe.</summary>
    public static int BaselinePhq9(int i) => i == 2 ? 19 : 14 + (i * 7 % 11);

    /// <summary>Dosing weight, 55–107 kg.</summary>
    public static decimal WeightKg(int i) => 55m + (i * 13 % 53);
}
