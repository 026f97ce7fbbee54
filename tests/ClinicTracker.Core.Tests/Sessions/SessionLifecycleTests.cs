using ClinicTracker.Core.Sessions;

namespace ClinicTracker.Core.Tests.Sessions;

public sealed class SessionLifecycleTests
{
    // domain.md §4: scheduled → checked-in → in-progress (first dose) → completed; side exits cancelled
    // (scheduled or checked-in), no-show (scheduled), held (checked-in: the pre-dose gate failed).
    private static readonly (SessionStatus From, SessionStatus To)[] Allowed =
    [
        (SessionStatus.Scheduled, SessionStatus.CheckedIn),
        (SessionStatus.Scheduled, SessionStatus.Cancelled),
        (SessionStatus.Scheduled, SessionStatus.NoShow),
        (SessionStatus.CheckedIn, SessionStatus.InProgress),
        (SessionStatus.CheckedIn, SessionStatus.Cancelled),
        (SessionStatus.CheckedIn, SessionStatus.Held),
        (SessionStatus.InProgress, SessionStatus.Completed),
    ];

    public static TheoryData<SessionStatus, SessionStatus> EveryPair()
    {
        var data = new TheoryData<SessionStatus, SessionStatus>();
        foreach (var from in Enum.GetValues<SessionStatus>())
        {
            foreach (var to in Enum.GetValues<SessionStatus>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void OnlyTheTransitionsOfDomain4AreAllowed(SessionStatus from, SessionStatus to) =>
        Assert.Equal(Allowed.Contains((from, to)), SessionLifecycle.CanMove(from, to));

    [Theory]
    [InlineData(SessionStatus.Completed, true)]
    [InlineData(SessionStatus.Cancelled, true)]
    [InlineData(SessionStatus.NoShow, true)]
    [InlineData(SessionStatus.Held, true)]
    [InlineData(SessionStatus.Scheduled, false)]
    [InlineData(SessionStatus.CheckedIn, false)]
    [InlineData(SessionStatus.InProgress, false)]
    public void CompletedCancelledNoShowAndHeld_AreFinal(SessionStatus status, bool final) =>
        Assert.Equal(final, SessionLifecycle.IsFinal(status));
}
