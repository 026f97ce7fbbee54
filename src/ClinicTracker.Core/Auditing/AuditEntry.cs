using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ClinicTracker.Core.Auditing;

/// <summary>
/// One row of the append-only audit trail (domain.md §8; HIPAA 164.312(b); ONC 170.315(d)(10)): who did
/// what to which record, when, and with what outcome. Ids only — never names, birth dates or notes.
/// Rows are chained: each hash covers the row and the previous row's hash, so editing or deleting any
/// row breaks the chain from there on (<see cref="AuditChain"/>).
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>Position in the chain, 1, 2, 3…; unique, so two appends cannot claim the same place.</summary>
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

    /// <summary>HTTP status of the outcome.</summary>
    public int Status { get; private set; }

    public string CorrelationId { get; private set; } = "";

    public string PreviousHash { get; private set; } = "";

    public string Hash { get; private set; } = "";

    public static AuditEntry Append(AuditFacts facts, AuditEntry? previous)
    {
        var entry = new AuditEntry
        {
            Id = Guid.CreateVersion7(),
            Sequence = (previous?.Sequence ?? 0) + 1,
            At = facts.AtUtc,
            UserName = facts.UserName,
            Roles = facts.Roles,
            Action = facts.Action,
            Method = facts.Method,
            Route = facts.Route,
            ResourceType = facts.ResourceType,
            ResourceId = facts.ResourceId,
            PatientId = facts.PatientId,
            Status = facts.Status,
            CorrelationId = facts.CorrelationId,
            PreviousHash = previous?.Hash ?? AuditChain.GenesisHash,
        };
        entry.Hash = entry.ComputeHash();
        return entry;
    }

    /// <summary>SHA-256 over every field and the previous hash, in a fixed order and format.</summary>
    public string ComputeHash()
    {
        var text = string.Join('\u001f',
            Sequence.ToString(CultureInfo.InvariantCulture),
            At.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture),
            UserName, Roles, Action, Method, Route, ResourceType ?? "", ResourceId?.ToString() ?? "",
            PatientId?.ToString() ?? "", Status.ToString(CultureInfo.InvariantCulture), CorrelationId, PreviousHash);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}

/// <summary>What an audit row says; the chain fields are added by <see cref="AuditEntry.Append"/>.</summary>
public sealed record AuditFacts(
    DateTime AtUtc, string UserName, string Roles, string Action, string Method, string Route, string? ResourceType,
    Guid? ResourceId, Guid? PatientId, int Status, string CorrelationId);

/// <summary>Verifies the chain: sequence without gaps, each previous hash linked, each hash recomputed.</summary>
public static class AuditChain
{
    public const string GenesisHash = "GENESIS";

    /// <summary>Checks rows given in sequence order, continuing from <paramref name="previous"/>; returns the first broken row.</summary>
    public static AuditBreak? FindBreak(IEnumerable<AuditEntry> rows, AuditEntry? previous)
    {
        var expectedSequence = (previous?.Sequence ?? 0) + 1;
        var expectedPrevious = previous?.Hash ?? GenesisHash;
        foreach (var row in rows)
        {
            if (row.Sequence != expectedSequence)
            {
                return new AuditBreak(row.Sequence, row.Id, $"Row {expectedSequence} is missing: the chain jumps to {row.Sequence}.");
            }

            if (row.PreviousHash != expectedPrevious)
            {
                return new AuditBreak(row.Sequence, row.Id, "The row does not link to the previous row's hash.");
            }

            if (row.ComputeHash() != row.Hash)
            {
                return new AuditBreak(row.Sequence, row.Id, "The row's content does not match its hash: it was changed.");
            }

            expectedSequence++;
            expectedPrevious = row.Hash;
        }

        return null;
    }
}

/// <summary>The first row where the chain is broken.</summary>
public sealed record AuditBreak(long Sequence, Guid RowId, string Reason);
