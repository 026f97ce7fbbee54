using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ClinicTracker.Core.Patients;

internal sealed class PatientSearchTermConfiguration : IEntityTypeConfiguration<PatientSearchTerm>
{
    public void Configure(EntityTypeBuilder<PatientSearchTerm> builder)
    {
        builder.ToTable("patient_search_terms");
        builder.HasKey(t => t.Id);
        builder.HasOne<Patient>().WithMany().HasForeignKey(t => t.PatientId).OnDelete(DeleteBehavior.Cascade);
        // A patient's terms are read and replaced by patient; each word once.
        builder.HasIndex(t => new { t.PatientId, t.Term }).IsUnique();
        // The search: a prefix as a range on Term, answered from the index alone (Term, PatientId). The collation
        // that makes the range a prefix range on PostgreSQL is set in ClinicDbContext (it is provider-specific).
        builder.HasIndex(t => new { t.Term, t.PatientId });
        builder.Property(t => t.Term).HasMaxLength(PatientSearchTerm.MaxLength);
    }
}
