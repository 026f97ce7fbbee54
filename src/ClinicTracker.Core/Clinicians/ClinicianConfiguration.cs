using ClinicTracker.Core.Sites;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClinicTracker.Core.Clinicians;

internal sealed class ClinicianConfiguration : IEntityTypeConfiguration<Clinician>
{
    public void Configure(EntityTypeBuilder<Clinician> builder)
    {
        builder.ToTable("clinicians");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.UserName).HasMaxLength(100);
        builder.Property(c => c.UserNameNormalized).HasMaxLength(100);
        builder.HasIndex(c => c.UserNameNormalized).IsUnique();
        builder.Property(c => c.DisplayName).HasMaxLength(100);
        builder.Property(c => c.RegistrationNumber).HasMaxLength(64);
        builder.Property(c => c.CreatedBy).HasMaxLength(100);
        builder.Property(c => c.UpdatedBy).HasMaxLength(100);
        builder.Property(c => c.Version).IsConcurrencyToken();
        // Where each person works (domain.md §14): a row per person and site, read with the entry on every request.
        builder.OwnsMany(c => c.Sites, sites =>
        {
            sites.ToTable("clinician_sites");
            sites.WithOwner().HasForeignKey("ClinicianId");
            sites.HasKey("ClinicianId", nameof(ClinicianSite.SiteId));
            sites.HasOne<Site>().WithMany().HasForeignKey(s => s.SiteId).OnDelete(DeleteBehavior.Restrict);
            sites.HasIndex(s => s.SiteId);
        });
        builder.Navigation(c => c.Sites).HasField("sites").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
