using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ClinicTracker.Core.Auditing;

/// <summary>
/// One row of the append-only audit trail (domain.md §8; HIPAA 164.312(b); ONC 170.315(d)(10)): who did
/// what to which record, when, and with what outcome. Ids only — never names, birth dates or notes.
/// Rows are chained: each hash covers the row and the previous row's hash in the same chain, so editing or
/// deleting any row breaks its chain from there on, and each chain's head (<see cref="AuditChainHead"/>)
/// says where the chain ends (<see cref="AuditChain"/>; ADR 0013).
/// </summary>
public sealed class AuditEntry : Common.IRecordedInOrder
{
    private AuditEntry()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The chain the row was appended to (0 … <see cref="AuditChainHead.Count"/> − 1).</summary>
    public int Chain { get; private set; }

    /// <summary>Position in its chain, 1, 2, 3…; unique per chain, so two appends cannot claim the same place.</summary>
    public long Sequence { get; private set; }

    public DateTime At { get; private set; }

    public string UserName { get; private set; } = "";

    /// <summary>The token's roles, space-separated.</summary>
    public string Roles { get; private set; } = "";

    /// <summary>The operation, e.g. <c>RecordDose</c> (the OpenAPI operationId).</summary>
    public string Action { get; private set; } = "";

    public string Method { get; private set; } = "";

    /// <summary>The route template, e.g. <c>/api/v1/sessions/{sessionId}/doses</c> (ids, never query text).</summary>
    public string Route { get; private set; } = "";

    public string? ResourceType { get; private set; }

    public Guid? ResourceId { get; private set; }

    public Guid? PatientId { get; private set; }

    /// <summary>
    /// The site of the record the request touched (domain.md §14): a session's or plan's site, else the patient's
    /// home site, or the site itself for a site's own routes; null for requests about no site's record.
    /// </summary>
    public Guid? SiteId { get; private set; }

    /// <summary>HTTP status of the outcome.</summary>
    public int Status { get; private set; }

    public string CorrelationId { get; private set; } = "";

    public string PreviousHash { get; private set; } = "";

    public string Hash { get; private set; } = "";

    /// <summary>The row after <paramref name="previousSequence"/> in <paramref name="chain"/>; use <see cref="AuditChainHead.Append"/>.</summary>
    internal static AuditEntry Create(AuditFacts facts, int chain, long previousSequence, string previousHash)
    {
        var entry = new AuditEntry
        {
            Id = Guid.CreateVersion7(),
            Chain = chain,
            Sequence = previousSequence + 1,
            // Whole microseconds: PostgreSQL's timestamptz keeps no more, and the hash must recompute from what is stored.
            At = new DateTime(facts.AtUtc.Ticks - (facts.AtUtc.Ticks % (TimeSpan.TicksPerMillisecond / 1000)), DateTimeKind.Utc),
            UserName = facts.UserName,
            Roles = facts.Roles,
            Action = facts.Action,
            Method = facts.Method,
            Route = facts.Route,
            ResourceType = facts.ResourceType,
            ResourceId = facts.ResourceId,
            PatientId = facts.PatientId,
            SiteId = facts.SiteId,
            Status = facts.Status,
            CorrelationId = facts.CorrelationId,
            PreviousHash = previousHash,
        };
        entry.Hash = entry.ComputeHash();
        return entry;
    }

    /// <summary>
    /// SHA-256 over every field and the previous hash, in a fixed order and format (unchanged since the first
    /// chain, so rows written before there were several chains still verify). The chain number is not in the
    /// text: <see cref="PreviousHash"/> already ties a row to its predecessor in its own chain. The site, added
    /// with sites, follows the previous hash only when there is one, so every row written before still verifies.
    /// </summary>
    public string ComputeHash()
    {
        var text = string.Join('\u001f',
            Sequence.ToString(CultureInfo.InvariantCulture),
            At.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture),
            UserName, Roles, Action, Method, Route, ResourceType ?? "", ResourceId?.ToString() ?? "",
            PatientId?.ToString() ?? "", Status.ToString(CultureInfo.InvariantCulture), CorrelationId, PreviousHash);
        if (SiteId is { } site)
        {
            text += '\u001f' + site.ToString();
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}

/// <summary>What an audit row says; the chain fields are added by <see cref="AuditChainHead.Append"/>.</summary>
public sealed record AuditFacts(
    DateTime AtUtc, string UserName, string Roles, string Action, string Method, string Route, string? ResourceType,
    Guid? ResourceId, Guid? PatientId, int Status, string CorrelationId, Guid? SiteId = null);

/// <summary>Verifies one chain: sequence without gaps, each previous hash linked, each hash recomputed, and the end where the head says.</summary>
public static class AuditChain
{
    public const string GenesisHash = "GENESIS";

    /// <summary>
    /// Checks rows of one chain given in sequence order, continuing from <paramref name="previous"/> (null at the
    /// chain's start); returns the first broken row.
    /// </summary>
    public static AuditBreak? FindBreak(IEnumerable<AuditEntry> rows, AuditEntry? previous)
    {
        var expectedSequence = (previous?.Sequence ?? 0) + 1;
        var expectedPrevious = previous?.Hash ?? GenesisHash;
        foreach (var row in rows)
        {
            if (row.Sequence != expectedSequence)
            {
                return new AuditBreak(row.Chain, row.Sequence, row.Id,
                    $"Row {expectedSequence} of chain {row.Chain} is missing: the chain jumps to {row.Sequence}.");
            }

            if (row.PreviousHash != expectedPrevious)
            {
                return new AuditBreak(row.Chain, row.Sequence, row.Id, "The row does not link to the previous row's hash.");
            }

            if (row.ComputeHash() != row.Hash)
            {
                return new AuditBreak(row.Chain, row.Sequence, row.Id, "The row's content does not match its hash: it was changed.");
            }

            expectedSequence++;
            expectedPrevious = row.Hash;
        }

        return null;
    }

    /// <summary>
    /// Checks that a chain whose rows all verified ends where its head says: the head is advanced in the same
    /// transaction as every append, so a last row short of the head means rows were cut off the end, and a row
    /// beyond it was inserted around the API. <paramref name="last"/> is the chain's last row (null if none).
    /// </summary>
    public static AuditBreak? FindEndBreak(AuditChainHead head, AuditEntry? last)
    {
        var lastSequence = last?.Sequence ?? 0;
        var lastHash = last?.Hash ?? GenesisHash;
        if (lastSequence < head.Sequence)
        {
            return new AuditBreak(head.Chain, lastSequence + 1, null,
                $"Rows {lastSequence + 1}–{head.Sequence} of chain {head.Chain} are missing: the chain was cut off at its end.");
        }

        if (lastSequence > head.Sequence)
        {
            return new AuditBreak(head.Chain, head.Sequence + 1, null,
                $"Chain {head.Chain} has rows beyond its head ({head.Sequence}): rows were inserted around the API.");
        }

        return lastHash == head.Hash
            ? null
            : new AuditBreak(head.Chain, lastSequence, last?.Id, "The chain's last row does not match its head's hash.");
    }
}

/// <summary>The first row where a chain is broken (no row id when the row is missing).</summary>
public sealed record AuditBreak(int Chain, long Sequence, Guid? RowId, string Reason);
