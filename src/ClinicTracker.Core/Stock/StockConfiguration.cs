using ClinicTracker.Core.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClinicTracker.Core.Stock;

internal sealed class StockLotConfiguration : IEntityTypeConfiguration<StockLot>
{
    public void Configure(EntityTypeBuilder<StockLot> builder)
    {
        builder.ToTable("stock_lots");
        builder.HasKey(l => l.Id);
        builder.HasOne<Site>().WithMany().HasForeignKey(l => l.SiteId).OnDelete(DeleteBehavior.Restrict);
        // A dose names its lot by number: one lot per number at a site, whatever its product.
        builder.HasIndex(l => new { l.SiteId, l.LotNumberNormalized }).IsUnique();
        builder.Property(l => l.LotNumber).HasMaxLength(64);
        builder.Property(l => l.LotNumberNormalized).HasMaxLength(64);
        builder.Property(l => l.Strength).HasPrecision(9, 3);
        builder.Property(l => l.Manufacturer).HasMaxLength(200);
        builder.Property(l => l.CreatedBy).HasMaxLength(100);
    }
}

internal sealed class StockReceiptConfiguration : IEntityTypeConfiguration<StockReceipt>
{
    public void Configure(EntityTypeBuilder<StockReceipt> builder)
    {
        builder.ToTable("stock_receipts");
        builder.HasKey(r => r.Id);
        builder.HasOne<StockLot>().WithMany().HasForeignKey(r => r.LotId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.LotId, r.ReceivedAt });
        builder.Property(r => r.Supplier).HasMaxLength(200);
        builder.Property(r => r.InvoiceNumber).HasMaxLength(64);
        builder.Property(r => r.ReceivedBy).HasMaxLength(100);
        builder.Property(r => r.WitnessUserName).HasMaxLength(100);
        builder.Ignore(r => r.QuantityMg);
    }
}

internal sealed class StockDisposalConfiguration : IEntityTypeConfiguration<StockDisposal>
{
    public void Configure(EntityTypeBuilder<StockDisposal> builder)
    {
        builder.ToTable("stock_disposals");
        builder.HasKey(d => d.Id);
        builder.HasOne<StockLot>().WithMany().HasForeignKey(d => d.LotId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => new { d.LotId, d.DisposedAt });
        builder.Property(d => d.Reason).HasMaxLength(1000);
        builder.Property(d => d.Reference).HasMaxLength(100);
        builder.Property(d => d.RecordedBy).HasMaxLength(100);
        builder.Property(d => d.WitnessUserName).HasMaxLength(100);
        builder.Ignore(d => d.AmountMg);
    }
}

internal sealed class StockCountConfiguration : IEntityTypeConfiguration<StockCount>
{
    public void Configure(EntityTypeBuilder<StockCount> builder)
    {
        builder.ToTable("stock_counts");
        builder.HasKey(c => c.Id);
        builder.HasOne<StockLot>().WithMany().HasForeignKey(c => c.LotId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => new { c.LotId, c.CountedAt });
        builder.Property(c => c.Note).HasMaxLength(1000);
        builder.Property(c => c.CountedBy).HasMaxLength(100);
        builder.Property(c => c.WitnessUserName).HasMaxLength(100);
        builder.Ignore(c => c.CountedMg);
        builder.Ignore(c => c.ExpectedMg);
        builder.Ignore(c => c.DifferenceUg);
    }
}

internal sealed class StockDiscrepancyConfiguration : IEntityTypeConfiguration<StockDiscrepancy>
{
    public void Configure(EntityTypeBuilder<StockDiscrepancy> builder)
    {
        builder.ToTable("stock_discrepancies");
        builder.HasKey(d => d.Id);
        builder.HasOne<StockLot>().WithMany().HasForeignKey(d => d.LotId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<StockCount>().WithOne().HasForeignKey<StockDiscrepancy>(d => d.CountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => new { d.LotId, d.ResolvedAt });
        builder.Property(d => d.Version).IsConcurrencyToken();
        builder.Property(d => d.ResolvedBy).HasMaxLength(100);
        builder.Property(d => d.ResolutionReason).HasMaxLength(1000);
        builder.Ignore(d => d.AmountMg);
        builder.Ignore(d => d.IsOpen);
        builder.Ignore(d => d.AdjustmentUg);
    }
}
