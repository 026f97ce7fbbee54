using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClinicTracker.Core.Webhooks;

internal sealed class OutboxEventConfiguration : IEntityTypeConfiguration<OutboxEvent>
{
    public void Configure(EntityTypeBuilder<OutboxEvent> builder)
    {
        builder.ToTable("outbox_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Type).HasMaxLength(64);
        builder.Property(e => e.Payload).HasMaxLength(8000);
        // The dispatcher's scan: the few events not fanned out yet, oldest first. Plain SQL both providers read.
        builder.HasIndex(e => e.Id).HasDatabaseName("IX_outbox_events_undispatched").HasFilter("\"DispatchedAt\" IS NULL");
    }
}

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.ToTable("webhook_subscriptions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Url).HasMaxLength(2000);
        builder.Property(s => s.Description).HasMaxLength(200);
        builder.Property(s => s.EventTypes).HasMaxLength(200);
        builder.Property(s => s.SiteIds).HasMaxLength(4000);
        builder.Property(s => s.Secret).HasMaxLength(100);
        builder.Property(s => s.CreatedBy).HasMaxLength(100);
        builder.Property(s => s.UpdatedBy).HasMaxLength(100);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.Ignore(s => s.Types);
        builder.Ignore(s => s.Sites);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<OutboxEvent>().WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Restrict);
        // One delivery per event and subscription, whatever two dispatchers do at once.
        builder.HasIndex(d => new { d.SubscriptionId, d.EventId }).IsUnique();
        // The workers' claim: pending deliveries due now.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => new { d.SubscriptionId, d.Id });
        builder.Property(d => d.EventType).HasMaxLength(64);
        builder.Property(d => d.LeaseOwner).HasMaxLength(200);
        builder.Property(d => d.LastError).HasMaxLength(200);
        builder.Property(d => d.Version).IsConcurrencyToken();
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> builder)
    {
        builder.ToTable("webhook_attempts");
        builder.HasKey(a => a.Id);
        builder.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.DeliveryId, a.Number }).IsUnique();
        builder.Property(a => a.Error).HasMaxLength(200);
    }
}
