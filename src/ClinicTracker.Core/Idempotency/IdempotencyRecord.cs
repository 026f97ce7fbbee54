using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClinicTracker.Core.Idempotency;

/// <summary>
/// A claimed <c>Idempotency-Key</c> (domain.md §8: a double-recorded controlled-substance dose is a real
/// harm). The unique (user, key) index makes the first request the only one that runs, across every API
/// instance; the response it produced is kept so retries get the same answer.
/// </summary>
public sealed class IdempotencyRecord
{
    private IdempotencyRecord()
    {
    }

    public Guid Id { get; private set; }

    public string UserName { get; private set; } = "";

    public string Key { get; private set; } = "";

    /// <summary>SHA-256 of method, path and body: the same key with another request is refused.</summary>
    public string RequestHash { get; private set; } = "";

    public bool Completed { get; private set; }

    public int? StatusCode { get; private set; }

    public string? ContentType { get; private set; }

    public string? Location { get; private set; }

    public byte[]? ResponseBody { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public static IdempotencyRecord Claim(string userName, string key, string requestHash, DateTime nowUtc) => new()
    {
        Id = Guid.CreateVersion7(),
        UserName = userName,
        Key = key,
        RequestHash = requestHash,
        CreatedAt = nowUtc,
    };

    public void Complete(int statusCode, string? contentType, string? location, byte[] body)
    {
        Completed = true;
        StatusCode = statusCode;
        ContentType = contentType;
        Location = location;
        ResponseBody = body;
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_keys");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.UserName).HasMaxLength(100);
        builder.Property(r => r.Key).HasMaxLength(255);
        builder.HasIndex(r => new { r.UserName, r.Key }).IsUnique();
        builder.HasIndex(r => r.CreatedAt);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.ContentType).HasMaxLength(100);
        builder.Property(r => r.Location).HasMaxLength(300);
    }
}
