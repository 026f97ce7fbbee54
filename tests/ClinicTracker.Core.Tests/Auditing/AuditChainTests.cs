using ClinicTracker.Core.Auditing;

namespace ClinicTracker.Core.Tests.Auditing;

public sealed class AuditChainTests
{
    private static AuditFacts Facts(string user, int status = 200) => new(
        new DateTime(2026, 12, 1, 9, 30, 0, DateTimeKind.Utc).AddTicks(1234567), user, "nurse", "GetPatient", "GET",
        "/api/v1/patients/{id:guid}", "patients", Guid.Parse("01a2313d-0000-7000-8000-000000000001"), null, status, "trace-1");

    private static (AuditChainHead Head, List<AuditEntry> Rows) Chain(int rows)
    {
        var head = AuditChainHead.Initial().Single(h => h.Chain == 3);
        var entries = Enumerable.Range(1, rows).Select(i => head.Append(Facts($"user.{i}"))).ToList();
        return (head, entries);
    }

    [Fact]
    public void Append_NumbersRowsFromOne_LinksEachToThePrevious_AndMovesTheHead()
    {
        var (head, rows) = Chain(3);

        Assert.Equal([1L, 2L, 3L], rows.Select(r => r.Sequence));
        Assert.All(rows, r => Assert.Equal(3, r.Chain));
        Assert.Equal(AuditChain.GenesisHash, rows[0].PreviousHash);
        Assert.Equal(rows[0].Hash, rows[1].PreviousHash);
        Assert.Equal(rows[1].Hash, rows[2].PreviousHash);
        Assert.Equal((3L, rows[2].Hash), (head.Sequence, head.Hash));
        // 09:30:00 + 1,234,567 ticks = 0.1234567 s, kept to whole microseconds (PostgreSQL's precision): 0.123456 s.
        Assert.Equal(1234560, rows[0].At.Ticks % TimeSpan.TicksPerSecond);
        Assert.Null(AuditChain.FindBreak(rows, previous: null));
        Assert.Null(AuditChain.FindEndBreak(head, rows[^1]));
    }

    [Fact]
    public void FindBreak_NamesTheMissingRow_WhenOneIsDeleted()
    {
        var (_, rows) = Chain(4);
        rows.RemoveAt(1);

        var broken = AuditChain.FindBreak(rows, previous: null);

        // Rows 1, 3, 4: row 2 is missing, found at row 3.
        Assert.Equal((3, 3L), (broken!.Chain, broken.Sequence));
        Assert.Contains("Row 2 of chain 3 is missing", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FindBreak_ContinuesFromTheLastRowOfTheEarlierBatch()
    {
        var (_, rows) = Chain(4);

        Assert.Null(AuditChain.FindBreak(rows.Skip(2), previous: rows[1]));
        Assert.Equal(3L, AuditChain.FindBreak(rows.Skip(2), previous: rows[0])!.Sequence);
    }

    [Fact]
    public void FindEndBreak_SeesRowsCutOffTheEnd_AndRowsBeyondTheHead()
    {
        var (head, rows) = Chain(5);

        // Head at 5, last row 3: rows 4–5 are missing.
        var cut = AuditChain.FindEndBreak(head, rows[2]);
        Assert.Equal(4L, cut!.Sequence);
        Assert.Contains("Rows 4–5 of chain 3 are missing", cut.Reason, StringComparison.Ordinal);
        // An empty chain whose head says 5: rows 1–5 are missing.
        Assert.Equal(1L, AuditChain.FindEndBreak(head, last: null)!.Sequence);

        // A sixth row made on a copy of the chain but not through this head: beyond the head.
        var (_, longer) = Chain(6);
        var beyond = AuditChain.FindEndBreak(head, longer[5]);
        Assert.Equal(6L, beyond!.Sequence);
        Assert.Contains("beyond its head", beyond.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FindEndBreak_AtTheHeadsSequence_WithAnotherHash_IsABreak()
    {
        var (head, _) = Chain(2);
        // A chain forged to the same length whose second row says someone else acted.
        var forgedHead = AuditChainHead.Initial().Single(h => h.Chain == 3);
        forgedHead.Append(Facts("user.1"));
        var forged = forgedHead.Append(Facts("someone.else"));

        Assert.Contains("does not match its head", AuditChain.FindEndBreak(head, forged)!.Reason, StringComparison.Ordinal);
    }
}
