using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClinicTracker.Core.Patients;

internal sealed class PatientConfiguration : IEntityTypeConfiguration<Patient>
{
    public void Configure(EntityTypeBuilder<Patient> builder)
    {
        builder.ToTable("patients");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Mrn).HasMaxLength(32);
        // Uniqueness is enforced on the normalized MRN so "ab-1" and "AB-1" cannot both exist.
        builder.Property(p => p.MrnNormalized).HasMaxLength(32);
        builder.HasIndex(p => p.MrnNormalized).IsUnique();
        builder.Property(p => p.GivenName).HasMaxLength(100);
        builder.Property(p => p.FamilyName).HasMaxLength(100);
        builder.Property(p => p.SortName).HasMaxLength(201);
        // Keyset paging of patient lists walks (SortName, Id).
        builder.HasIndex(p => new { p.SortName, p.Id });
        builder.Property(p => p.Diagnosis).HasMaxLength(2000);
        builder.Property(p => p.CreatedBy).HasMaxLength(100);
        builder.Property(p => p.UpdatedBy).HasMaxLength(100);
        builder.Property(p => p.ArchivedBy).HasMaxLength(100);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.HasOne<Sites.Site>().WithMany().HasForeignKey(p => p.HomeSiteId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => p.HomeSiteId);
        builder.Ignore(p => p.IsArchived);
    }
}
