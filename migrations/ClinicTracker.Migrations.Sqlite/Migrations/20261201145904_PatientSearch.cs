using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ClinicTracker.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PatientSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "patient_search_terms",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PatientId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Term = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_patient_search_terms", x => x.Id);
                    table.ForeignKey(
                        name: "FK_patient_search_terms_patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "patients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_patient_search_terms_PatientId_Term",
                table: "patient_search_terms",
                columns: new[] { "PatientId", "Term" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_patient_search_terms_Term_PatientId",
                table: "patient_search_terms",
                columns: new[] { "Term", "PatientId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "patient_search_terms");
        }
    }
}
