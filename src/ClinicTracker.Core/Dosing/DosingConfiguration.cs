using ClinicTracker.Core.Sessions;
using ClinicTracker.Core.Stock;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClinicTracker.Core.Dosing;

internal sealed class DoseEntryConfiguration : IEntityTypeConfiguration<DoseEntry>
{
    public void Configure(EntityTypeBuilder<DoseEntry> builder)
    {
        builder.ToTable("dose_entries");
        builder.HasKey(d => d.Id);
        builder.HasOne<TreatmentSession>().WithMany().HasForeignKey(d => d.SessionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<DoseEntry>().WithMany().HasForeignKey(d => d.ReplacesDoseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => new { d.SessionId, d.AdministeredAt });
        // domain.md §3: the 24-hour window of a patient's doses is read by (patient, time) for every new dose.
        builder.HasIndex(d => new { d.PatientId, d.AdministeredAt });
        // domain.md §12: a lot's ledger sums its doses.
        builder.HasOne<StockLot>().WithMany().HasForeignKey(d => d.LotId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => new { d.LotId, d.AdministeredAt });
        builder.Property(d => d.LotNumber).HasMaxLength(64);
        builder.Property(d => d.WeightKg).HasPrecision(5, 2);
        builder.Property(d => d.OverrideReason).HasMaxLength(1000);
        builder.Property(d => d.OverriddenWarnings).HasMaxLength(500);
        builder.Property(d => d.OverriddenBy).HasMaxLength(100);
        builder.Property(d => d.RecordedBy).HasMaxLength(100);
        builder.Property(d => d.VoidedBy).HasMaxLength(100);
        builder.Property(d => d.VoidReason).HasMaxLength(1000);
        builder.Ignore(d => d.AmountMg);
        builder.Ignore(d => d.EndedAt);
        builder.Ignore(d => d.InfusionMinutes);
    }
}

internal sealed class WasteEntryConfiguration : IEntityTypeConfiguration<WasteEntry>
{
    public void Configure(EntityTypeBuilder<WasteEntry> builder)
    {
        builder.ToTable("waste_entries");
        builder.HasKey(w => w.Id);
        builder.HasOne<TreatmentSession>().WithMany().HasForeignKey(w => w.SessionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(w => w.SessionId);
        builder.HasOne<StockLot>().WithMany().HasForeignKey(w => w.LotId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(w => new { w.LotId, w.WastedAt });
        builder.Property(w => w.LotNumber).HasMaxLength(64);
        builder.Property(w => w.RecordedBy).HasMaxLength(100);
        builder.Property(w => w.WitnessUserName).HasMaxLength(100);
        builder.Ignore(w => w.AmountMg);
    }
}
