using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ClinicTracker.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DoseSafety : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_dose_entries_PatientId",
                table: "dose_entries");

            migrationBuilder.AddColumn<string>(
                name: "OverriddenBy",
                table: "dose_entries",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            // Until now an override was given by the prescriber who recorded the dose: that is who overrode.
            migrationBuilder.Sql("UPDATE dose_entries SET OverriddenBy = RecordedBy WHERE OverriddenWarnings IS NOT NULL;");

            // Fails if a patient has two sessions checked in or in progress: docs/operations.md shows the query that finds them.
            migrationBuilder.CreateIndex(
                name: "UX_treatment_sessions_open_per_patient",
                table: "treatment_sessions",
                column: "PatientId",
                unique: true,
                filter: "\"Status\" IN ('CheckedIn', 'InProgress')");

            migrationBuilder.CreateIndex(
                name: "IX_dose_entries_PatientId_AdministeredAt",
                table: "dose_entries",
                columns: new[] { "PatientId", "AdministeredAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "UX_treatment_sessions_open_per_patient",
                table: "treatment_sessions");

            migrationBuilder.DropIndex(
                name: "IX_dose_entries_PatientId_AdministeredAt",
                table: "dose_entries");

            migrationBuilder.DropColumn(
                name: "OverriddenBy",
                table: "dose_entries");

            migrationBuilder.CreateIndex(
                name: "IX_dose_entries_PatientId",
                table: "dose_entries",
                column: "PatientId");
        }
    }
}
