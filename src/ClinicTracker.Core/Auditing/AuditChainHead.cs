namespace ClinicTracker.Core.Auditing;

/// <summary>
/// Where one of the audit trail's chains ends: its last row's sequence and hash (ADR 0013). An append claims a
/// head for the rest of its transaction (on PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c>, so concurrent
/// writers take different chains; on SQLite the single writer already holds the file), appends after it and
/// advances it in the same transaction. <see cref="Count"/> chains let that many transactions append at once;
/// the verifier checks each chain against its head.
/// </summary>
public sealed class AuditChainHead
{
    /// <summary>How many chains the migrations create (ADR 0013: enough for the writers of several instances).</summary>
    public const int Count = 16;

    private AuditChainHead()
    {
    }

    public int Chain { get; private set; }

    /// <summary>The last row's sequence in this chain; 0 before the first.</summary>
    public long Sequence { get; private set; }

    /// <summary>The last row's hash; <see cref="AuditChain.GenesisHash"/> before the first.</summary>
    public string Hash { get; private set; } = AuditChain.GenesisHash;

    /// <summary>The heads as the migrations create them: every chain empty.</summary>
    public static IEnumerable<AuditChainHead> Initial() =>
        Enumerable.Range(0, Count).Select(chain => new AuditChainHead { Chain = chain });

    /// <summary>The next row of this chain; the head moves to it.</summary>
    public AuditEntry Append(AuditFacts facts)
    {
        var entry = AuditEntry.Create(facts, Chain, Sequence, Hash);
        Sequence = entry.Sequence;
        Hash = entry.Hash;
        return entry;
    }
}
