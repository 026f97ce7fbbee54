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
    }
}
