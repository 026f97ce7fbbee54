using System.Globalization;
using ClinicTracker.Core.Adherence;
using static ClinicTracker.Core.Adherence.AdherenceSessionStatus;

namespace ClinicTracker.Core.Tests.Adherence;

/// <summary>
/// Table-driven checks of domain.md §10. Every expectation is worked out by hand in the comment above
/// its case. Calendar used throughout: 2026-01-05, 2026-03-02 are Mondays; 2026 is not a leap year
/// (February has 28 days). "t" is the tolerance, a window is [d − t, d + t], D is the report date.
/// Outcome strings read "due date, status, matched session or miss reason".
/// </summary>
public sealed class AdherenceCalculatorTests
{
    // IV induction (domain.md §6, Zheng 2019): 6 due dates Mon/Wed/Fri over 12 days.
    private static readonly string[] IvInduction =
        ["2026-03-02", "2026-03-04", "2026-03-06", "2026-03-09", "2026-03-11", "2026-03-13"];

    private static readonly List<(string Name, Case Case)> Table =
    [
        // IV induction, t = 1, one completed session on each due date, D = 03-16.
        // Windows [01..03] [03..05] [05..07] [08..10] [10..12] [12..14]: each takes its own day's session.
        // Due 6 = 6 on time; rates 6/6 = 1. Gaps 02→04 2, 04→06 2, 06→09 3, 09→11 2, 11→13 2 → longest 3.
        // Days since 16 − 13 = 3. Nothing upcoming → next null. All induction matched → complete.
        // Persistent: start 03-02→first session 03-02 = 0; trailing min(D, last due 03-13) − 03-13 = 0.
        ("AllOnTime_EachSessionOnItsDueDate", new(
            Input(Plan(true, IvInduction), 1, "2026-03-16",
                Done(1, "2026-03-02"), Done(2, "2026-03-04"), Done(3, "2026-03-06"),
                Done(4, "2026-03-09"), Done(5, "2026-03-11"), Done(6, "2026-03-13")),
            Due: 6, OnTime: 6, Late: 0, Missed: 0, MissedByReason: "",
            AdherenceRate: 1m, OnTimeRate: 1m, LongestGapDays: 3, DaysSinceLastSession: 3, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-04 OnTime S2", "2026-03-06 OnTime S3",
                "2026-03-09 OnTime S4", "2026-03-11 OnTime S5", "2026-03-13 OnTime S6"])),

        // IV induction, t = 1, sessions on window edges: 03-01, 03-05, 03-07, 03-08, 03-12, 03-14; D = 03-14.
        // 03-02 [01..03] takes 03-01; 03-04 [03..05] takes 03-05; 03-06 [05..07]: 03-05 used → 03-07;
        // 03-09 [08..10] takes 03-08; 03-11 [10..12] takes 03-12; 03-13 [12..14]: 03-12 used → 03-14.
        // 03-13's window is still open on D (14 < 14 is false) but it is matched, so it counts (rule 1).
        // Due 6 = 6 on time, rates 1. Gaps 4, 2, 1, 4, 2 → 4. Days since 14 − 14 = 0. Next null.
        // Persistent: first session before start (−1), trailing min(14, 13) − 14 = −1, gaps ≤ 4.
        ("IvInduction_CompletedAtWindowEdges_InductionCompleteAndRateOne", new(
            Input(Plan(true, IvInduction), 1, "2026-03-14",
                Done(1, "2026-03-01"), Done(2, "2026-03-05"), Done(3, "2026-03-07"),
                Done(4, "2026-03-08"), Done(5, "2026-03-12"), Done(6, "2026-03-14")),
            Due: 6, OnTime: 6, Late: 0, Missed: 0, MissedByReason: "",
            AdherenceRate: 1m, OnTimeRate: 1m, LongestGapDays: 4, DaysSinceLastSession: 0, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-04 OnTime S2", "2026-03-06 OnTime S3",
                "2026-03-09 OnTime S4", "2026-03-11 OnTime S5", "2026-03-13 OnTime S6"])),

        // Weekly Mondays 03-02, 03-09, 03-16, t = 1, no induction; completed 03-05, 03-09, 03-16; D = 03-18.
        // 03-02 [01..03]: none; late range (03, next window opens 08) → 03-05 late.
        // 03-09 [08..10] → 03-09 on time; 03-16 [15..17] → 03-16 on time.
        // Due 3 = 2 on time + 1 late; adherence 3/3 = 1; on time 2/3 = 0.66666… → 0.6667.
        // Gaps 05→09 4, 09→16 7 → 7. Days since 18 − 16 = 2. Next null. No induction due dates → complete.
        // Persistent: start 02→first 05 = 3; trailing min(18, 16) − 16 = 0.
        ("OneLate_CompletedAfterWindowBeforeNextWindowOpens", new(
            Input(Plan(false, "2026-03-02", "2026-03-09", "2026-03-16"), 1, "2026-03-18",
                Done(1, "2026-03-05"), Done(2, "2026-03-09"), Done(3, "2026-03-16")),
            Due: 3, OnTime: 2, Late: 1, Missed: 0, MissedByReason: "",
            AdherenceRate: 1m, OnTimeRate: 0.6667m, LongestGapDays: 7, DaysSinceLastSession: 2, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 Late S1", "2026-03-09 OnTime S2", "2026-03-16 OnTime S3"])),

        // Weekly 03-02, 03-09, t = 1; one completed session 03-07 (the day before 03-09's window opens); D = 03-12.
        // 03-02 [01..03]: none; late range (03, 08): 03-07 → late.
        // 03-09 [08..10]: none; last due date, late range (10, D 12]: none; 10 < 12 closed → missed, not-scheduled.
        // Due 2 = 0 + 1 + 1; adherence 1/2 = 0.5; on time 0/2 = 0. One session → gap null. Days since 12 − 7 = 5.
        // Persistent: start 02→07 = 5; trailing min(12, 09) − 07 = 2.
        ("LateLimit_DayBeforeNextWindowOpens_IsLate", new(
            Input(Plan(false, "2026-03-02", "2026-03-09"), 1, "2026-03-12", Done(1, "2026-03-07")),
            Due: 2, OnTime: 0, Late: 1, Missed: 1, MissedByReason: "NotScheduled=1",
            AdherenceRate: 0.5m, OnTimeRate: 0m, LongestGapDays: null, DaysSinceLastSession: 5, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 Late S1", "2026-03-09 Missed NotScheduled"])),

        // Same plan; the session is on 03-08, the day 03-09's window opens; D = 03-12.
        // 03-02 [01..03]: none; late range (03, 08) is exclusive of 08 → none; closed → missed, not-scheduled.
        // 03-09 [08..10] → 03-08 on time.
        // Due 2 = 1 + 0 + 1; rates 1/2 = 0.5 and 0.5. Gap null. Days since 12 − 8 = 4.
        // Persistent: start 02→08 = 6; trailing min(12, 09) − 08 = 1.
        ("LateLimit_SessionOnNextWindowStart_IsOnTimeForNextNotLateForPrevious", new(
            Input(Plan(false, "2026-03-02", "2026-03-09"), 1, "2026-03-12", Done(1, "2026-03-08")),
            Due: 2, OnTime: 1, Late: 0, Missed: 1, MissedByReason: "NotScheduled=1",
            AdherenceRate: 0.5m, OnTimeRate: 0.5m, LongestGapDays: null, DaysSinceLastSession: 4, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 Missed NotScheduled", "2026-03-09 OnTime S1"])),

        // Single due date 03-02, t = 1, completed 03-06, D = 03-06.
        // Window [01..03]: none; last due date, late range (03, D] includes D → 03-06 late.
        // Due 1 = late 1; adherence 1; on time 0. Gap null. Days since 0.
        // Persistent: start 02→06 = 4; trailing min(06, 02) − 06 = −4.
        ("LastDueDate_LateUpToAndIncludingAsOf", new(
            Input(Plan(false, "2026-03-02"), 1, "2026-03-06", Done(1, "2026-03-06")),
            Due: 1, OnTime: 0, Late: 1, Missed: 0, MissedByReason: "",
            AdherenceRate: 1m, OnTimeRate: 0m, LongestGapDays: null, DaysSinceLastSession: 0, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 Late S1"])),

        // Weekly 03-02, 03-09, 03-16, t = 1; completed 03-02, no-show 03-09, cancelled by clinic 03-16; D = 03-20.
        // 03-02 on time. 03-09 [08..10]: no completed; late (10, 15): none → missed, reason no-show (03-09).
        // 03-16 [15..17]: none; late (17, D 20]: none; 17 < 20 → missed, reason cancelled-by-clinic (03-16).
        // Due 3 = 1 + 0 + 2; rates 1/3 = 0.33333… → 0.3333 both. Gap null. Days since 20 − 2 = 18.
        // Persistent: start 0; trailing min(20, 16) − 02 = 14.
        ("Missed_OneNoShowAndOneCancelledByClinic", new(
            Input(Plan(false, "2026-03-02", "2026-03-09", "2026-03-16"), 1, "2026-03-20",
                Done(1, "2026-03-02"), S(2, NoShow, "2026-03-09"), S(3, CancelledByClinic, "2026-03-16")),
            Due: 3, OnTime: 1, Late: 0, Missed: 2, MissedByReason: "NoShow=1 CancelledByClinic=1",
            AdherenceRate: 0.3333m, OnTimeRate: 0.3333m, LongestGapDays: null, DaysSinceLastSession: 18,
            NextDueDate: null, InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-09 Missed NoShow", "2026-03-16 Missed CancelledByClinic"])),

        // Weekly 03-02, 03-09, t = 1; completed 03-01 and 03-03 (both in 03-02's window); D = 03-12.
        // 03-02 [01..03] takes the earliest, 03-01. 03-09 [08..10]: none. Rule 3 only looks after 03-09's
        // window (10, D 12], and 03-03 lies before it, so it cannot be late for 03-09 → missed, not-scheduled.
        // Due 2 = 1 + 0 + 1; rates 0.5, 0.5. Gap 01→03 = 2. Days since 12 − 3 = 9.
        // Persistent: start 02→01 = −1; trailing min(12, 09) − 03 = 6.
        ("TwoSessionsInOneWindow_SecondIsNotLateForNext", new(
            Input(Plan(false, "2026-03-02", "2026-03-09"), 1, "2026-03-12",
                Done(1, "2026-03-01"), Done(2, "2026-03-03")),
            Due: 2, OnTime: 1, Late: 0, Missed: 1, MissedByReason: "NotScheduled=1",
            AdherenceRate: 0.5m, OnTimeRate: 0.5m, LongestGapDays: 2, DaysSinceLastSession: 9, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-09 Missed NotScheduled"])),

        // IV induction, t = 1 (windows overlap on 03-03); completed 03-02 and 03-03; D = 03-06.
        // 03-02 [01..03] takes 03-02. 03-04 [03..05] takes the unmatched 03-03 → on time (rule 2, not rule 3).
        // 03-06 [05..07]: none, 07 ≥ 06 open → upcoming; the later three are upcoming too.
        // Due 2 = 2 on time; rates 1. Gap 1. Days since 6 − 3 = 3. Next: first upcoming ≥ 03-06 → 03-06.
        // Induction: 4 induction due dates upcoming → not complete.
        // Persistent: start 0; trailing min(06, 13) − 03 = 3.
        ("TwoSessionsInOneWindow_OverlappingWindows_SecondIsOnTimeForNext", new(
            Input(Plan(true, IvInduction), 1, "2026-03-06", Done(1, "2026-03-02"), Done(2, "2026-03-03")),
            Due: 2, OnTime: 2, Late: 0, Missed: 0, MissedByReason: "",
            AdherenceRate: 1m, OnTimeRate: 1m, LongestGapDays: 1, DaysSinceLastSession: 3, NextDueDate: "2026-03-06",
            InductionComplete: false, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-04 OnTime S2", "2026-03-06 Upcoming",
                "2026-03-09 Upcoming", "2026-03-11 Upcoming", "2026-03-13 Upcoming"])),

        // Weekly 03-02, 03-09, t = 1; completed 03-02, 03-05, 03-09; D = 03-12.
        // 03-02 takes 03-02; 03-09 [08..10] takes 03-09. 03-05 would be late for 03-02, but 03-02 is already
        // matched, and it lies before 03-09's window → unmatched, ignored for counts, kept for gaps.
        // Due 2 = 2 on time; rates 1. Gaps 02→05 3, 05→09 4 → 4 (7 without 03-05). Days since 12 − 9 = 3.
        ("ExtraSessionBetweenWindows_IgnoredForCountsButCountsForGaps", new(
            Input(Plan(false, "2026-03-02", "2026-03-09"), 1, "2026-03-12",
                Done(1, "2026-03-02"), Done(2, "2026-03-05"), Done(3, "2026-03-09")),
            Due: 2, OnTime: 2, Late: 0, Missed: 0, MissedByReason: "",
            AdherenceRate: 1m, OnTimeRate: 1m, LongestGapDays: 4, DaysSinceLastSession: 3, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-09 OnTime S3"])),

        // Weekly 03-02, 03-09, 03-16, 03-23, t = 1; completed 03-02 and 03-23; D = 03-25.
        // 03-02 on time. 03-09 [08..10], late (10, 15): none → missed, not-scheduled.
        // 03-16 [15..17], late (17, 22): none → missed, not-scheduled. 03-23 [22..24] → 03-23 on time.
        // Due 4 = 2 + 0 + 2; rates 2/4 = 0.5 both. Gap 02→23 = 21. Days since 25 − 23 = 2.
        // Persistent: 21 ≤ 60; trailing min(25, 23) − 23 = 0.
        ("ThreeWeekGap_LongestGapIs21", new(
            Input(Plan(false, "2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"), 1, "2026-03-25",
                Done(1, "2026-03-02"), Done(2, "2026-03-23")),
            Due: 4, OnTime: 2, Late: 0, Missed: 2, MissedByReason: "NotScheduled=2",
            AdherenceRate: 0.5m, OnTimeRate: 0.5m, LongestGapDays: 21, DaysSinceLastSession: 2, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-09 Missed NotScheduled",
                "2026-03-16 Missed NotScheduled", "2026-03-23 OnTime S2"])),

        // As above with a clinic persistence gap of 20 days: 21 > 20 → not persistent; everything else equal.
        ("ThreeWeekGap_ConfiguredPersistenceGap20_NotPersistent", new(
            Input(Plan(false, "2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"), 1, "2026-03-25",
                persistenceGapDays: 20, sessions: [Done(1, "2026-03-02"), Done(2, "2026-03-23")]),
            Due: 4, OnTime: 2, Late: 0, Missed: 2, MissedByReason: "NotScheduled=2",
            AdherenceRate: 0.5m, OnTimeRate: 0.5m, LongestGapDays: 21, DaysSinceLastSession: 2, NextDueDate: null,
            InductionComplete: true, Persistent: false,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-09 Missed NotScheduled",
                "2026-03-16 Missed NotScheduled", "2026-03-23 OnTime S2"])),

        // Every 2 weeks from 01-05, t = 2: 01-05, 01-19, 02-02, 02-16, 03-02, 03-16; completed 01-05, 03-07; D = 03-09.
        // 01-05 [03..07] on time. 01-19 [17..21], late (01-21, 01-31): none → missed. 02-02 [01-31..02-04],
        // late (02-04, 02-14): none → missed. 02-16 [14..18], late (02-18, 02-28): none → missed.
        // 03-02 [02-28..03-04]: none; late (03-04, 03-14): 03-07 → late. 03-16 [14..18]: 18 ≥ 9 open → upcoming.
        // Due 5 = 1 + 1 + 3; adherence 2/5 = 0.4; on time 1/5 = 0.2.
        // Gap 01-05→03-07 = 26 (rest of Jan) + 28 (Feb) + 7 = 61. Days since 9 − 7 = 2. Next 03-16.
        // Persistent: 61 > 60 → false.
        ("Persistence_61DayGapBetweenSessions_NotPersistent", new(
            Input(Plan(false, "2026-01-05", "2026-01-19", "2026-02-02", "2026-02-16", "2026-03-02", "2026-03-16"),
                2, "2026-03-09", Done(1, "2026-01-05"), Done(2, "2026-03-07")),
            Due: 5, OnTime: 1, Late: 1, Missed: 3, MissedByReason: "NotScheduled=3",
            AdherenceRate: 0.4m, OnTimeRate: 0.2m, LongestGapDays: 61, DaysSinceLastSession: 2,
            NextDueDate: "2026-03-16", InductionComplete: true, Persistent: false,
            DueDates: ["2026-01-05 OnTime S1", "2026-01-19 Missed NotScheduled", "2026-02-02 Missed NotScheduled",
                "2026-02-16 Missed NotScheduled", "2026-03-02 Late S2", "2026-03-16 Upcoming"])),

        // Same, second session 03-06: still late for 03-02 (04 < 06 < 14). Gap 26 + 28 + 6 = 60 ≤ 60.
        // Days since 9 − 6 = 3. Persistent: start 0; 60; trailing min(03-09, 03-16) − 03-06 = 3 → true.
        ("Persistence_60DayGapBetweenSessions_StillPersistent", new(
            Input(Plan(false, "2026-01-05", "2026-01-19", "2026-02-02", "2026-02-16", "2026-03-02", "2026-03-16"),
                2, "2026-03-09", Done(1, "2026-01-05"), Done(2, "2026-03-06")),
            Due: 5, OnTime: 1, Late: 1, Missed: 3, MissedByReason: "NotScheduled=3",
            AdherenceRate: 0.4m, OnTimeRate: 0.2m, LongestGapDays: 60, DaysSinceLastSession: 3,
            NextDueDate: "2026-03-16", InductionComplete: true, Persistent: true,
            DueDates: ["2026-01-05 OnTime S1", "2026-01-19 Missed NotScheduled", "2026-02-02 Missed NotScheduled",
                "2026-02-16 Missed NotScheduled", "2026-03-02 Late S2", "2026-03-16 Upcoming"])),

        // Every 4 weeks, t = 2: 01-05, 02-02, 03-02, 03-30, 04-27; completed 01-05 only; D = 03-07.
        // 01-05 on time. 02-02 [01-31..02-04], late (02-04, 02-28): none → missed. 03-02 [02-28..03-04],
        // closed (04 < 07), late (03-04, 03-28) but only up to D: none → missed. 03-30, 04-27 open → upcoming.
        // Due 3 = 1 + 0 + 2; rates 1/3 = 0.3333. Gap null. Days since 01-05→03-07 = 26 + 28 + 7 = 61.
        // Next 03-30. Persistent: trailing min(D 03-07, last due 04-27) − 01-05 = 61 > 60 → false.
        ("Persistence_NoVisitFor61DaysWhilePlanRuns_NotPersistent", new(
            Input(Plan(false, "2026-01-05", "2026-02-02", "2026-03-02", "2026-03-30", "2026-04-27"),
                2, "2026-03-07", Done(1, "2026-01-05")),
            Due: 3, OnTime: 1, Late: 0, Missed: 2, MissedByReason: "NotScheduled=2",
            AdherenceRate: 0.3333m, OnTimeRate: 0.3333m, LongestGapDays: null, DaysSinceLastSession: 61,
            NextDueDate: "2026-03-30", InductionComplete: true, Persistent: false,
            DueDates: ["2026-01-05 OnTime S1", "2026-02-02 Missed NotScheduled", "2026-03-02 Missed NotScheduled",
                "2026-03-30 Upcoming", "2026-04-27 Upcoming"])),

        // Same with D = 03-06: 03-02's window end 03-04 < 03-06 still closed, so the outcomes are equal.
        // Days since 26 + 28 + 6 = 60 → trailing 60 ≤ 60 → persistent.
        ("Persistence_NoVisitFor60DaysWhilePlanRuns_StillPersistent", new(
            Input(Plan(false, "2026-01-05", "2026-02-02", "2026-03-02", "2026-03-30", "2026-04-27"),
                2, "2026-03-06", Done(1, "2026-01-05")),
            Due: 3, OnTime: 1, Late: 0, Missed: 2, MissedByReason: "NotScheduled=2",
            AdherenceRate: 0.3333m, OnTimeRate: 0.3333m, LongestGapDays: null, DaysSinceLastSession: 60,
            NextDueDate: "2026-03-30", InductionComplete: true, Persistent: true,
            DueDates: ["2026-01-05 OnTime S1", "2026-02-02 Missed NotScheduled", "2026-03-02 Missed NotScheduled",
                "2026-03-30 Upcoming", "2026-04-27 Upcoming"])),

        // Every 4 weeks, t = 2: 01-05, 02-02, 03-02, 03-30; the first completed session is 03-07; D = 03-09.
        // 01-05 [03..07], late (01-07, 01-31): none → missed. 02-02 [01-31..02-04], late (02-04, 02-28): none
        // → missed. 03-02 [02-28..03-04]: none; late (03-04, 03-28): 03-07 → late. 03-30 [28..04-01] upcoming.
        // Due 3 = 0 + 1 + 2; adherence 1/3 = 0.3333; on time 0. Gap null. Days since 9 − 7 = 2. Next 03-30.
        // Persistent: leading gap first due 01-05 → first session 03-07 = 26 + 28 + 7 = 61 > 60 → false.
        ("Persistence_FirstSession61DaysAfterStart_NotPersistent", new(
            Input(Plan(false, "2026-01-05", "2026-02-02", "2026-03-02", "2026-03-30"), 2, "2026-03-09",
                Done(1, "2026-03-07")),
            Due: 3, OnTime: 0, Late: 1, Missed: 2, MissedByReason: "NotScheduled=2",
            AdherenceRate: 0.3333m, OnTimeRate: 0m, LongestGapDays: null, DaysSinceLastSession: 2,
            NextDueDate: "2026-03-30", InductionComplete: true, Persistent: false,
            DueDates: ["2026-01-05 Missed NotScheduled", "2026-02-02 Missed NotScheduled", "2026-03-02 Late S1",
                "2026-03-30 Upcoming"])),

        // Same with the first session on 03-06 (still late for 03-02: 04 < 06 < 28): leading gap 60 ≤ 60;
        // trailing min(09, 30) − 06 = 3 → persistent. Days since 3.
        ("Persistence_FirstSession60DaysAfterStart_StillPersistent", new(
            Input(Plan(false, "2026-01-05", "2026-02-02", "2026-03-02", "2026-03-30"), 2, "2026-03-09",
                Done(1, "2026-03-06")),
            Due: 3, OnTime: 0, Late: 1, Missed: 2, MissedByReason: "NotScheduled=2",
            AdherenceRate: 0.3333m, OnTimeRate: 0m, LongestGapDays: null, DaysSinceLastSession: 3,
            NextDueDate: "2026-03-30", InductionComplete: true, Persistent: true,
            DueDates: ["2026-01-05 Missed NotScheduled", "2026-02-02 Missed NotScheduled", "2026-03-02 Late S1",
                "2026-03-30 Upcoming"])),

        // Plan 01-05, 02-02, t = 2, both attended on the day; D = 06-01, long after the plan ended.
        // Due 2 = 2 on time; rates 1. Gap 26 + 2 = 28. Days since 02-02→06-01 = 26 + 31 + 30 + 31 + 1 = 119.
        // Persistent: trailing min(06-01, last due 02-02) − 02-02 = 0: nobody is expected after the plan ends.
        ("Persistence_PlanEnded_TimeAfterLastDueDateIsNoGap", new(
            Input(Plan(false, "2026-01-05", "2026-02-02"), 2, "2026-06-01",
                Done(1, "2026-01-05"), Done(2, "2026-02-02")),
            Due: 2, OnTime: 2, Late: 0, Missed: 0, MissedByReason: "",
            AdherenceRate: 1m, OnTimeRate: 1m, LongestGapDays: 28, DaysSinceLastSession: 119, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-01-05 OnTime S1", "2026-02-02 OnTime S2"])),

        // Every 4 weeks, t = 2: 01-05, 02-02, 03-02, 03-30; no sessions at all; D = 03-06.
        // 01-05, 02-02 closed → missed; 03-02 [02-28..03-04], 04 < 06 → missed; 03-30 upcoming.
        // Due 3 = 3 missed, not-scheduled; rates 0/3 = 0 (zero, not null: something is due).
        // Gap and days since null. Next 03-30. Persistent: no sessions → D − first due = 26 + 28 + 6 = 60 ≤ 60.
        ("NoSessions_60DaysAfterFirstDueDate_StillPersistent", new(
            Input(Plan(false, "2026-01-05", "2026-02-02", "2026-03-02", "2026-03-30"), 2, "2026-03-06"),
            Due: 3, OnTime: 0, Late: 0, Missed: 3, MissedByReason: "NotScheduled=3",
            AdherenceRate: 0m, OnTimeRate: 0m, LongestGapDays: null, DaysSinceLastSession: null,
            NextDueDate: "2026-03-30", InductionComplete: true, Persistent: true,
            DueDates: ["2026-01-05 Missed NotScheduled", "2026-02-02 Missed NotScheduled",
                "2026-03-02 Missed NotScheduled", "2026-03-30 Upcoming"])),

        // Same with D = 03-07: D − first due = 61 > 60 → not persistent; the rest is unchanged.
        ("NoSessions_61DaysAfterFirstDueDate_NotPersistent", new(
            Input(Plan(false, "2026-01-05", "2026-02-02", "2026-03-02", "2026-03-30"), 2, "2026-03-07"),
            Due: 3, OnTime: 0, Late: 0, Missed: 3, MissedByReason: "NotScheduled=3",
            AdherenceRate: 0m, OnTimeRate: 0m, LongestGapDays: null, DaysSinceLastSession: null,
            NextDueDate: "2026-03-30", InductionComplete: true, Persistent: false,
            DueDates: ["2026-01-05 Missed NotScheduled", "2026-02-02 Missed NotScheduled",
                "2026-03-02 Missed NotScheduled", "2026-03-30 Upcoming"])),

        // IV induction, no sessions, D = 03-02 (the start): every window ends ≥ 03-03 > D → all upcoming.
        // Due 0 → rates null. Next: first upcoming ≥ 03-02 → 03-02. Induction not matched → false.
        // Persistent: no sessions, D − first due = 0 ≤ 60.
        ("NothingDueYet_OnTheFirstDueDate_RatesNull", new(
            Input(Plan(true, IvInduction), 1, "2026-03-02"),
            Due: 0, OnTime: 0, Late: 0, Missed: 0, MissedByReason: "",
            AdherenceRate: null, OnTimeRate: null, LongestGapDays: null, DaysSinceLastSession: null,
            NextDueDate: "2026-03-02", InductionComplete: false, Persistent: true,
            DueDates: ["2026-03-02 Upcoming", "2026-03-04 Upcoming", "2026-03-06 Upcoming",
                "2026-03-09 Upcoming", "2026-03-11 Upcoming", "2026-03-13 Upcoming"])),

        // IV induction, no sessions, D = 02-20 (before the start). All upcoming, due 0, rates null.
        // Next: first upcoming ≥ 02-20 → 03-02. Persistent: 02-20 − 03-02 = −10 ≤ 60.
        ("AsOfBeforeStart_NothingDue_RatesNull", new(
            Input(Plan(true, IvInduction), 1, "2026-02-20"),
            Due: 0, OnTime: 0, Late: 0, Missed: 0, MissedByReason: "",
            AdherenceRate: null, OnTimeRate: null, LongestGapDays: null, DaysSinceLastSession: null,
            NextDueDate: "2026-03-02", InductionComplete: false, Persistent: true,
            DueDates: ["2026-03-02 Upcoming", "2026-03-04 Upcoming", "2026-03-06 Upcoming",
                "2026-03-09 Upcoming", "2026-03-11 Upcoming", "2026-03-13 Upcoming"])),

        // IV induction, completed 03-01 (a day early, inside [01..03]), D = 03-01, still before the start.
        // 03-02 is matched → it counts (rule 1) although its date is after D. The rest upcoming.
        // Due 1 = 1 on time; rates 1. Gap null. Days since 0. Next: first upcoming ≥ 03-01 → 03-04.
        // Persistent: start 02→01 = −1; trailing min(01, 13) − 01 = 0.
        ("EarlySessionInFirstWindow_CountsBeforeTheStart", new(
            Input(Plan(true, IvInduction), 1, "2026-03-01", Done(1, "2026-03-01")),
            Due: 1, OnTime: 1, Late: 0, Missed: 0, MissedByReason: "",
            AdherenceRate: 1m, OnTimeRate: 1m, LongestGapDays: null, DaysSinceLastSession: 0,
            NextDueDate: "2026-03-04", InductionComplete: false, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-04 Upcoming", "2026-03-06 Upcoming",
                "2026-03-09 Upcoming", "2026-03-11 Upcoming", "2026-03-13 Upcoming"])),

        // IV induction discontinued on 03-05; completed 03-02, 03-04; D = 03-20.
        // Reported: 03-02, 03-04 (≤ 03-05), both on time; 03-06…03-13 are after 03-05 → omitted from the list.
        // Due 2 = 2 on time; rates 1. Gap 2. Days since 20 − 4 = 16. Nothing upcoming → next null.
        // Induction: four induction due dates omitted → not complete.
        // Persistent: start 0; trailing min(20, last reported due 03-04) − 04 = 0.
        ("Discontinued_DueDatesAfterDiscontinuationAreOmitted", new(
            Input(Plan(true, IvInduction), 1, "2026-03-20", discontinuedOn: "2026-03-05",
                sessions: [Done(1, "2026-03-02"), Done(2, "2026-03-04")]),
            Due: 2, OnTime: 2, Late: 0, Missed: 0, MissedByReason: "",
            AdherenceRate: 1m, OnTimeRate: 1m, LongestGapDays: 2, DaysSinceLastSession: 16, NextDueDate: null,
            InductionComplete: false, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-04 OnTime S2"])),

        // Discontinued on 03-06, itself a due date (not "after" it → still counts); completed 03-02, 03-04,
        // cancelled by patient 03-06; D = 03-20. 03-06 [05..07]: none; late (07, 08 = the plan's next window
        // start, even though 03-09 is omitted): none → missed, cancelled-by-patient.
        // Due 3 = 2 + 0 + 1; rates 2/3 = 0.66666… → 0.6667. Gap 2. Days since 16. Next null.
        // Persistent: trailing min(20, 06) − 04 = 2.
        ("Discontinued_OnADueDate_ThatDueDateStillCounts", new(
            Input(Plan(true, IvInduction), 1, "2026-03-20", discontinuedOn: "2026-03-06",
                sessions: [Done(1, "2026-03-02"), Done(2, "2026-03-04"), S(3, CancelledByPatient, "2026-03-06")]),
            Due: 3, OnTime: 2, Late: 0, Missed: 1, MissedByReason: "CancelledByPatient=1",
            AdherenceRate: 0.6667m, OnTimeRate: 0.6667m, LongestGapDays: 2, DaysSinceLastSession: 16,
            NextDueDate: null, InductionComplete: false, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-04 OnTime S2", "2026-03-06 Missed CancelledByPatient"])),

        // Weekly 03-02, 03-09, 03-16, t = 1; completed 03-02; D = 03-09.
        // 03-09 [08..10]: no match, 10 ≥ 9 open → upcoming (not missed, not counted). 03-16 upcoming.
        // Due 1 = 1 on time; rates 1. Gap null. Days since 7. Next: first upcoming ≥ 03-09 → 03-09.
        // Persistent: trailing min(09, 16) − 02 = 7.
        ("WindowStillOpen_Unmatched_IsUpcomingAndNextDueDate", new(
            Input(Plan(false, "2026-03-02", "2026-03-09", "2026-03-16"), 1, "2026-03-09", Done(1, "2026-03-02")),
            Due: 1, OnTime: 1, Late: 0, Missed: 0, MissedByReason: "",
            AdherenceRate: 1m, OnTimeRate: 1m, LongestGapDays: null, DaysSinceLastSession: 7,
            NextDueDate: "2026-03-09", InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-09 Upcoming", "2026-03-16 Upcoming"])),

        // Same, D = 03-10, the last day of 03-09's window (10 < 10 is false → still upcoming).
        // Next: first upcoming dated ≥ 03-10 → 03-16 (03-09 is still listed as upcoming). Days since 8.
        // Persistent: trailing min(10, 16) − 02 = 8.
        ("WindowOpenOnItsLastDay_NextDueDateIsTheFirstNotBeforeAsOf", new(
            Input(Plan(false, "2026-03-02", "2026-03-09", "2026-03-16"), 1, "2026-03-10", Done(1, "2026-03-02")),
            Due: 1, OnTime: 1, Late: 0, Missed: 0, MissedByReason: "",
            AdherenceRate: 1m, OnTimeRate: 1m, LongestGapDays: null, DaysSinceLastSession: 8,
            NextDueDate: "2026-03-16", InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-09 Upcoming", "2026-03-16 Upcoming"])),

        // Weekly 03-02, 03-09, t = 1; completed 03-02; D = 03-10. 03-09 upcoming (window to 10).
        // No upcoming due date ≥ 03-10 → fall back to the first upcoming, 03-09. Days since 8.
        // Persistent: trailing min(10, 09) − 02 = 7.
        ("NextDueDate_FallsBackToUpcomingDueDateBeforeAsOf", new(
            Input(Plan(false, "2026-03-02", "2026-03-09"), 1, "2026-03-10", Done(1, "2026-03-02")),
            Due: 1, OnTime: 1, Late: 0, Missed: 0, MissedByReason: "",
            AdherenceRate: 1m, OnTimeRate: 1m, LongestGapDays: null, DaysSinceLastSession: 8,
            NextDueDate: "2026-03-09", InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-09 Upcoming"])),

        // Weekly 03-02, 03-09, t = 1; completed 03-02, completed 03-09 but D = 03-08 (a report for an earlier day).
        // The 03-09 session is after D → ignored. 03-09 [08..10] open → upcoming.
        // Due 1; rates 1. Gap null (one session ≤ D). Days since 6. Next 03-09. Trailing min(08, 09) − 02 = 6.
        ("CompletedSessionAfterAsOf_IsIgnored", new(
            Input(Plan(false, "2026-03-02", "2026-03-09"), 1, "2026-03-08",
                Done(1, "2026-03-02"), Done(2, "2026-03-09")),
            Due: 1, OnTime: 1, Late: 0, Missed: 0, MissedByReason: "",
            AdherenceRate: 1m, OnTimeRate: 1m, LongestGapDays: null, DaysSinceLastSession: 6,
            NextDueDate: "2026-03-09", InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-09 Upcoming"])),

        // Weekly 03-02, 03-09, t = 1; completed 03-02, no-show 03-08, held 03-10 (BP gate); D = 03-12.
        // 03-09 [08..10] closed, no completed, late (10, D 12]: none → missed; the latest not-completed
        // session in the window is the held one on 03-10 → held.
        // Due 2 = 1 + 0 + 1; rates 0.5. Gap null. Days since 10. Trailing min(12, 09) − 02 = 7.
        ("MissedReason_NoShowThenHeldInSameWindow_IsHeld", new(
            Input(Plan(false, "2026-03-02", "2026-03-09"), 1, "2026-03-12",
                Done(1, "2026-03-02"), S(2, NoShow, "2026-03-08"), S(3, Held, "2026-03-10")),
            Due: 2, OnTime: 1, Late: 0, Missed: 1, MissedByReason: "Held=1",
            AdherenceRate: 0.5m, OnTimeRate: 0.5m, LongestGapDays: null, DaysSinceLastSession: 10,
            NextDueDate: null, InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-09 Missed Held"])),

        // Single due date 03-02, t = 1; a no-show and a cancelled-by-patient booked for the very same instant,
        // 03-02 10:00 (a double booking); D = 03-05. Window [01..03] closed, no completed, late (03, D 05]: none
        // → missed. Same instant → the fixed tie order: cancelled by patient outranks no-show.
        // Due 1 = 1 missed; rates 0. No completed → gap, days null. Persistent: no sessions → D − first due = 3 ≤ 60.
        ("MissedReason_SameInstant_CancelledByPatientBeatsNoShow", new(
            Input(Plan(false, "2026-03-02"), 1, "2026-03-05",
                At(1, NoShow, "2026-03-02 10:00"), At(2, CancelledByPatient, "2026-03-02 10:00")),
            Due: 1, OnTime: 0, Late: 0, Missed: 1, MissedByReason: "CancelledByPatient=1",
            AdherenceRate: 0m, OnTimeRate: 0m, LongestGapDays: null, DaysSinceLastSession: null, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 Missed CancelledByPatient"])),

        // The same two sessions in the opposite input order give the same answer.
        ("MissedReason_SameInstant_DoesNotDependOnInputOrder", new(
            Input(Plan(false, "2026-03-02"), 1, "2026-03-05",
                At(2, CancelledByPatient, "2026-03-02 10:00"), At(1, NoShow, "2026-03-02 10:00")),
            Due: 1, OnTime: 0, Late: 0, Missed: 1, MissedByReason: "CancelledByPatient=1",
            AdherenceRate: 0m, OnTimeRate: 0m, LongestGapDays: null, DaysSinceLastSession: null, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 Missed CancelledByPatient"])),

        // Rule 4 by time: single due date 03-02, t = 1, D = 03-05; no-show booked 09:00, cancelled by the patient
        // booked 15:00, both on 03-02. Missed (as above); the latest by scheduled time is the 15:00 one →
        // cancelled-by-patient. Same figures as the same-instant case.
        ("MissedReason_SameDay_NoShowAt0900ThenCancelledByPatientAt1500_IsCancelledByPatient", new(
            Input(Plan(false, "2026-03-02"), 1, "2026-03-05",
                At(1, NoShow, "2026-03-02 09:00"), At(2, CancelledByPatient, "2026-03-02 15:00")),
            Due: 1, OnTime: 0, Late: 0, Missed: 1, MissedByReason: "CancelledByPatient=1",
            AdherenceRate: 0m, OnTimeRate: 0m, LongestGapDays: null, DaysSinceLastSession: null, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 Missed CancelledByPatient"])),

        // Reversed: cancelled by the patient at 09:00, no-show at 15:00 → the 15:00 no-show explains. (The old
        // same-date tie order would have said cancelled-by-patient: only dates reached the calculator then.)
        ("MissedReason_SameDay_CancelledByPatientAt0900ThenNoShowAt1500_IsNoShow", new(
            Input(Plan(false, "2026-03-02"), 1, "2026-03-05",
                At(1, CancelledByPatient, "2026-03-02 09:00"), At(2, NoShow, "2026-03-02 15:00")),
            Due: 1, OnTime: 0, Late: 0, Missed: 1, MissedByReason: "NoShow=1",
            AdherenceRate: 0m, OnTimeRate: 0m, LongestGapDays: null, DaysSinceLastSession: null, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 Missed NoShow"])),

        // By instant, not by clock time of day: held 03-02 18:00, cancelled by clinic 03-03 08:00, both in
        // [01..03]; D = 03-05. The 03-03 booking is later although its hour is earlier → cancelled-by-clinic.
        ("MissedReason_LaterDayEarlierHour_IsTheLatest", new(
            Input(Plan(false, "2026-03-02"), 1, "2026-03-05",
                At(1, Held, "2026-03-02 18:00"), At(2, CancelledByClinic, "2026-03-03 08:00")),
            Due: 1, OnTime: 0, Late: 0, Missed: 1, MissedByReason: "CancelledByClinic=1",
            AdherenceRate: 0m, OnTimeRate: 0m, LongestGapDays: null, DaysSinceLastSession: null, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 Missed CancelledByClinic"])),

        // Weekly 03-02, 03-09, t = 1; completed 03-02; a booking on 03-09 still open (scheduled, never closed);
        // D = 03-12. 03-09 [08..10] closed (10 < 12), late (10, D 12]: none → missed; the only not-completed
        // session in the window is open → not-closed (rule 4 as updated; before, open sessions were not even
        // loaded and this showed not-scheduled).
        // Due 2 = 1 + 0 + 1; rates 0.5. Gap null. Days since 12 − 2 = 10. Trailing min(12, 09) − 02 = 7.
        ("MissedReason_OpenSessionInAClosedWindow_IsNotClosed", new(
            Input(Plan(false, "2026-03-02", "2026-03-09"), 1, "2026-03-12",
                Done(1, "2026-03-02"), S(2, Open, "2026-03-09")),
            Due: 2, OnTime: 1, Late: 0, Missed: 1, MissedByReason: "NotClosed=1",
            AdherenceRate: 0.5m, OnTimeRate: 0.5m, LongestGapDays: null, DaysSinceLastSession: 10,
            NextDueDate: null, InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-09 Missed NotClosed"])),

        // As above plus a no-show on 03-08 and the open session moved to 03-10: the open one is the latest →
        // not-closed. (Before the update it gave no reason and the no-show explained.) Numbers otherwise identical.
        ("MissedReason_OpenSessionLaterThanNoShow_IsNotClosed", new(
            Input(Plan(false, "2026-03-02", "2026-03-09"), 1, "2026-03-12",
                Done(1, "2026-03-02"), S(2, NoShow, "2026-03-08"), S(3, Open, "2026-03-10")),
            Due: 2, OnTime: 1, Late: 0, Missed: 1, MissedByReason: "NotClosed=1",
            AdherenceRate: 0.5m, OnTimeRate: 0.5m, LongestGapDays: null, DaysSinceLastSession: 10,
            NextDueDate: null, InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-09 Missed NotClosed"])),

        // Same day: a no-show at 09:00 and a booking at 15:00 left scheduled; single due 03-02, t = 1, D = 03-05
        // → the 15:00 booking is the latest → not-closed. Figures as the single-due-date cases above.
        ("MissedReason_SameDay_NoShowThenABookingLeftOpen_IsNotClosed", new(
            Input(Plan(false, "2026-03-02"), 1, "2026-03-05",
                At(1, NoShow, "2026-03-02 09:00"), At(2, Open, "2026-03-02 15:00")),
            Due: 1, OnTime: 0, Late: 0, Missed: 1, MissedByReason: "NotClosed=1",
            AdherenceRate: 0m, OnTimeRate: 0m, LongestGapDays: null, DaysSinceLastSession: null, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 Missed NotClosed"])),

        // Reversed: a booking at 09:00 left open, a no-show at 15:00 → the no-show is the latest → no-show.
        ("MissedReason_SameDay_OpenBookingThenALaterNoShow_IsNoShow", new(
            Input(Plan(false, "2026-03-02"), 1, "2026-03-05",
                At(1, Open, "2026-03-02 09:00"), At(2, NoShow, "2026-03-02 15:00")),
            Due: 1, OnTime: 0, Late: 0, Missed: 1, MissedByReason: "NoShow=1",
            AdherenceRate: 0m, OnTimeRate: 0m, LongestGapDays: null, DaysSinceLastSession: null, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 Missed NoShow"])),

        // A double booking for 03-02 10:00, one a no-show, one never closed: same instant → the recorded outcome
        // (no-show) outranks not-closed in the tie order.
        ("MissedReason_SameInstant_NoShowBeatsNotClosed", new(
            Input(Plan(false, "2026-03-02"), 1, "2026-03-05",
                At(1, Open, "2026-03-02 10:00"), At(2, NoShow, "2026-03-02 10:00")),
            Due: 1, OnTime: 0, Late: 0, Missed: 1, MissedByReason: "NoShow=1",
            AdherenceRate: 0m, OnTimeRate: 0m, LongestGapDays: null, DaysSinceLastSession: null, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 Missed NoShow"])),

        // Single due 03-02, t = 1; a booking on 03-04 still open, after the window [01..03]; D = 03-10.
        // Closed, late (03, D 10]: no completed → missed; the open session is not inside the window → not-scheduled.
        // Due 1 missed; rates 0. Persistent: no sessions → D − first due = 8 ≤ 60.
        ("MissedReason_OpenSessionAfterTheWindow_IsNotScheduled", new(
            Input(Plan(false, "2026-03-02"), 1, "2026-03-10", At(1, Open, "2026-03-04 10:00")),
            Due: 1, OnTime: 0, Late: 0, Missed: 1, MissedByReason: "NotScheduled=1",
            AdherenceRate: 0m, OnTimeRate: 0m, LongestGapDays: null, DaysSinceLastSession: null, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 Missed NotScheduled"])),

        // Weekly 03-02, 03-09, t = 1; completed 03-02; open booking 03-09; D = 03-10. 03-09 [08..10] is still open
        // on D (10 < 10 is false) → upcoming, not missed: not-closed applies only after the window closed.
        // Due 1 = 1 on time; rates 1. Days since 8. Next: no upcoming ≥ 03-10 → the first upcoming, 03-09.
        // Persistent: trailing min(10, 09) − 02 = 7.
        ("OpenSession_InAWindowStillOpen_IsUpcoming", new(
            Input(Plan(false, "2026-03-02", "2026-03-09"), 1, "2026-03-10",
                Done(1, "2026-03-02"), S(2, Open, "2026-03-09")),
            Due: 1, OnTime: 1, Late: 0, Missed: 0, MissedByReason: "",
            AdherenceRate: 1m, OnTimeRate: 1m, LongestGapDays: null, DaysSinceLastSession: 8,
            NextDueDate: "2026-03-09", InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1", "2026-03-09 Upcoming"])),

        // Single due 03-02, t = 1; completed 03-02 and a second booking 03-03 left open; D = 03-05.
        // The completed session attends → on time; the open one changes nothing. Due 1; rates 1. Days since 3.
        // Persistent: start 0; trailing min(05, 02) − 02 = 0.
        ("OpenSessionBesideACompletedOne_CompletedAttends", new(
            Input(Plan(false, "2026-03-02"), 1, "2026-03-05", Done(1, "2026-03-02"), At(2, Open, "2026-03-03 10:00")),
            Due: 1, OnTime: 1, Late: 0, Missed: 0, MissedByReason: "",
            AdherenceRate: 1m, OnTimeRate: 1m, LongestGapDays: null, DaysSinceLastSession: 3, NextDueDate: null,
            InductionComplete: true, Persistent: true,
            DueDates: ["2026-03-02 OnTime S1"])),
    ];

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in Table)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Calculate_MatchesHandWorkedReport(string caseName)
    {
        var expected = Table.Single(c => c.Name == caseName).Case;

        var report = AdherenceCalculator.Calculate(expected.Input);

        Assert.Equal(expected.DueDates, report.DueDates.Select(Describe));
        Assert.Equal(expected.Due, report.Due);
        Assert.Equal(expected.OnTime, report.OnTime);
        Assert.Equal(expected.Late, report.Late);
        Assert.Equal(expected.Missed, report.Missed);
        Assert.Equal(expected.MissedByReason, DescribeReasons(report.MissedByReason));
        Assert.Equal(expected.AdherenceRate, report.AdherenceRate);
        Assert.Equal(expected.OnTimeRate, report.OnTimeRate);
        Assert.Equal(expected.LongestGapDays, report.LongestGapDays);
        Assert.Equal(expected.DaysSinceLastSession, report.DaysSinceLastSession);
        Assert.Equal(expected.NextDueDate is null ? null : D(expected.NextDueDate), report.NextDueDate);
        Assert.Equal(expected.InductionComplete, report.InductionComplete);
        Assert.Equal(expected.Persistent, report.Persistent);
        AssertShape(expected.Input, report);
    }

    /// <summary>
    /// docs/adherence.md, "Worked example": keep every number here identical to the doc's tables.
    /// The hand computation is the doc's own walk-through, repeated in the comments below.
    /// </summary>
    [Fact]
    public void WorkedExample_FromDocsAdherenceMd_IsReproduced()
    {
        // IV plan, tolerance 1 day: induction Mon/Wed/Fri from Monday 2026-03-02 (6 due dates), then
        // weekly maintenance on Fridays 03-20 and 03-27. Report date Monday 2026-03-23.
        AdherenceDueDate[] plan =
        [
            .. Plan(true, IvInduction),
            .. Plan(false, "2026-03-20", "2026-03-27"),
        ];
        AdherenceSession[] sessions =
        [
            Done(1, "2026-03-02"),
            Done(2, "2026-03-05"),
            S(3, NoShow, "2026-03-06"),
            Done(4, "2026-03-09"),
            S(5, Held, "2026-03-11"),
            Done(6, "2026-03-12"),
            Done(7, "2026-03-16"),
            S(8, CancelledByPatient, "2026-03-20"),
        ];

        var report = AdherenceCalculator.Calculate(new AdherenceInput(plan, 1, sessions, D("2026-03-23"), null));

        // 03-02 [01..03] → S1 on time. 03-04 [03..05] → S2 (Thu 03-05) on time.
        // 03-06 [05..07]: S2 already used; late would need a visit after 07 and before 08 → none; no-show S3.
        // 03-09 [08..10] → S4. 03-11 [10..12] → S6 (Thu 03-12); the held S5 explains nothing, 03-11 is matched.
        // 03-13 [12..14]: S6 used; late range (14, 19) → S7 (Mon 03-16) late.
        // 03-20 [19..21]: closed on 03-23, late range (21, 26) empty → missed, cancelled by patient (S8).
        // 03-27 [26..28]: still open → upcoming.
        (string Due, string From, string To, DueDateStatus Status, int? Session, string? On, MissedReason? Why)[] rows =
        [
            ("2026-03-02", "2026-03-01", "2026-03-03", DueDateStatus.OnTime, 1, "2026-03-02", null),
            ("2026-03-04", "2026-03-03", "2026-03-05", DueDateStatus.OnTime, 2, "2026-03-05", null),
            ("2026-03-06", "2026-03-05", "2026-03-07", DueDateStatus.Missed, null, null, MissedReason.NoShow),
            ("2026-03-09", "2026-03-08", "2026-03-10", DueDateStatus.OnTime, 4, "2026-03-09", null),
            ("2026-03-11", "2026-03-10", "2026-03-12", DueDateStatus.OnTime, 6, "2026-03-12", null),
            ("2026-03-13", "2026-03-12", "2026-03-14", DueDateStatus.Late, 7, "2026-03-16", null),
            ("2026-03-20", "2026-03-19", "2026-03-21", DueDateStatus.Missed, null, null,
                MissedReason.CancelledByPatient),
            ("2026-03-27", "2026-03-26", "2026-03-28", DueDateStatus.Upcoming, null, null, null),
        ];
        Assert.Equal(
            rows.Select(r => new DueDateOutcome(
                D(r.Due), D(r.From), D(r.To), r.Status,
                r.Session is { } n ? Id(n) : null, r.On is null ? null : D(r.On), r.Why)),
            report.DueDates);

        // Due 7 = 4 on time + 1 late + 2 missed (03-27 is upcoming, not counted).
        Assert.Equal(7, report.Due);
        Assert.Equal(4, report.OnTime);
        Assert.Equal(1, report.Late);
        Assert.Equal(2, report.Missed);
        Assert.Equal(1, report.MissedByReason[MissedReason.NoShow]);
        Assert.Equal(1, report.MissedByReason[MissedReason.CancelledByPatient]);
        Assert.Equal(0, report.MissedByReason[MissedReason.CancelledByClinic]);
        Assert.Equal(0, report.MissedByReason[MissedReason.Held]);
        Assert.Equal(0, report.MissedByReason[MissedReason.NotClosed]);
        Assert.Equal(0, report.MissedByReason[MissedReason.NotScheduled]);

        // (4 + 1) / 7 = 0.714285… → 0.7143; 4 / 7 = 0.571428… → 0.5714.
        Assert.Equal(0.7143m, report.AdherenceRate);
        Assert.Equal(0.5714m, report.OnTimeRate);

        // Completed visits 03-02, 03-05, 03-09, 03-12, 03-16: gaps 3, 4, 3, 4 → 4. 03-23 − 03-16 = 7.
        Assert.Equal(4, report.LongestGapDays);
        Assert.Equal(7, report.DaysSinceLastSession);
        Assert.Equal(D("2026-03-27"), report.NextDueDate);

        // Induction 03-06 was missed → not complete. Persistent: no gap above 60 (largest stretch 7 days).
        Assert.False(report.InductionComplete);
        Assert.True(report.Persistent);
    }

    [Theory]
    [InlineData(2, 3, "0.6667")] // 0.66666… rounds up
    [InlineData(1, 3, "0.3333")] // 0.33333… rounds down
    [InlineData(5, 7, "0.7143")] // 0.7142857… rounds up
    [InlineData(1, 32, "0.0313")] // exactly 0.03125: away from zero gives 0.0313 (banker's would give 0.0312)
    [InlineData(0, 5, "0")] // something is due and nothing was attended: zero, not null
    [InlineData(6, 6, "1")]
    [InlineData(0, 0, null)] // nothing due: null, never 0 or NaN
    public void Rate_RoundsToFourDecimalsAwayFromZero(int numerator, int denominator, string? expected)
    {
        decimal? want = expected is null ? null : decimal.Parse(expected, CultureInfo.InvariantCulture);
        Assert.Equal(want, AdherenceCalculator.Rate(numerator, denominator));
    }

    [Fact]
    public void Calculate_DueDatesNotStrictlyAscending_Throws()
    {
        var unsorted = Input(Plan(false, "2026-03-09", "2026-03-02"), 1, "2026-03-20");
        var duplicate = Input(Plan(false, "2026-03-02", "2026-03-02"), 1, "2026-03-20");

        Assert.Throws<ArgumentException>(() => AdherenceCalculator.Calculate(unsorted));
        Assert.Throws<ArgumentException>(() => AdherenceCalculator.Calculate(duplicate));
    }

    [Fact]
    public void Calculate_NegativeToleranceOrGap_Throws()
    {
        var negativeTolerance = Input(Plan(false, "2026-03-02"), -1, "2026-03-20");
        var negativeGap = Input(Plan(false, "2026-03-02"), 1, "2026-03-20", persistenceGapDays: -1);

        Assert.Throws<ArgumentOutOfRangeException>(() => AdherenceCalculator.Calculate(negativeTolerance));
        Assert.Throws<ArgumentOutOfRangeException>(() => AdherenceCalculator.Calculate(negativeGap));
    }

    /// <summary>Invariants every report must satisfy, whatever the case.</summary>
    private static void AssertShape(AdherenceInput input, AdherenceReport report)
    {
        Assert.Equal(report.OnTime + report.Late + report.Missed, report.Due);
        Assert.Equal(Enum.GetValues<MissedReason>(), report.MissedByReason.Keys.Order());
        Assert.Equal(report.Missed, report.MissedByReason.Values.Sum());
        foreach (var o in report.DueDates)
        {
            Assert.Equal(o.DueDate.AddDays(-input.ToleranceDays), o.WindowStart);
            Assert.Equal(o.DueDate.AddDays(input.ToleranceDays), o.WindowEnd);
            var matched = o.Status is DueDateStatus.OnTime or DueDateStatus.Late;
            Assert.Equal(matched, o.SessionId is not null);
            Assert.Equal(matched, o.SessionDate is not null);
            Assert.Equal(o.Status == DueDateStatus.Missed, o.MissedReason is not null);
            if (matched)
            {
                Assert.Equal(input.Sessions.Single(s => s.Id == o.SessionId).LocalDate, o.SessionDate);
            }
        }
    }

    private static string Describe(DueDateOutcome o) =>
        $"{o.DueDate:yyyy-MM-dd} {o.Status}"
        + (o.SessionId is { } id ? $" S{int.Parse(id.ToString()[^12..], CultureInfo.InvariantCulture)}" : "")
        + (o.MissedReason is { } reason ? $" {reason}" : "");

    private static string DescribeReasons(IReadOnlyDictionary<MissedReason, int> byReason) =>
        string.Join(' ', byReason
            .Where(kv => kv.Value != 0)
            .OrderBy(kv => kv.Key)
            .Select(kv => $"{kv.Key}={kv.Value}"));

    internal static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static AdherenceDueDate[] Plan(bool induction, params string[] dates) =>
        [.. dates.Select(d => new AdherenceDueDate(D(d), induction))];

    internal static AdherenceSession Done(int n, string date) => S(n, Completed, date);

    /// <summary>A session dated <paramref name="date"/>, booked for 10:00 that day (the clinic's zone is UTC here).</summary>
    internal static AdherenceSession S(int n, AdherenceSessionStatus status, string date) =>
        At(n, status, date + " 10:00");

    /// <summary>A session booked for <paramref name="dateTime"/> ("2026-03-02 09:00"), dated that day (the clinic's zone is UTC here).</summary>
    internal static AdherenceSession At(int n, AdherenceSessionStatus status, string dateTime)
    {
        var at = DateTime.SpecifyKind(
            DateTime.ParseExact(dateTime, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), DateTimeKind.Utc);
        return new(Id(n), status, DateOnly.FromDateTime(at), at);
    }

    internal static Guid Id(int n) => Guid.Parse($"00000000-0000-0000-0000-{n:D12}");

    private static AdherenceInput Input(
        AdherenceDueDate[] plan, int tolerance, string asOf, params AdherenceSession[] sessions) =>
        new(plan, tolerance, sessions, D(asOf), null);

    private static AdherenceInput Input(
        AdherenceDueDate[] plan,
        int tolerance,
        string asOf,
        string? discontinuedOn = null,
        int persistenceGapDays = 60,
        AdherenceSession[]? sessions = null) =>
        new(
            plan,
            tolerance,
            sessions ?? [],
            D(asOf),
            discontinuedOn is null ? null : D(discontinuedOn),
            persistenceGapDays);

    private sealed record Case(
        AdherenceInput Input,
        int Due,
        int OnTime,
        int Late,
        int Missed,
        string MissedByReason,
        decimal? AdherenceRate,
        decimal? OnTimeRate,
        int? LongestGapDays,
        int? DaysSinceLastSession,
        string? NextDueDate,
        bool InductionComplete,
        bool Persistent,
        string[] DueDates);
}
