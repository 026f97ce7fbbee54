using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ClinicTracker.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AdherenceSummaries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "adherence_summaries",
                columns: table => new
                {
                    PlanId = table.Column<Guid>(type: "uuid", nullable: false),
                    PatientId = table.Column<Guid>(type: "uuid", nullable: false),
                    SiteId = table.Column<Guid>(type: "uuid", nullable: false),
                    TimeZone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AsOf = table.Column<DateOnly>(type: "date", nullable: false),
                    Due = table.Column<int>(type: "integer", nullable: false),
                    OnTime = table.Column<int>(type: "integer", nullable: false),
                    Late = table.Column<int>(type: "integer", nullable: false),
                    Missed = table.Column<int>(type: "integer", nullable: false),
                    AdherenceRateScaled = table.Column<int>(type: "integer", nullable: true),
                    OnTimeRateScaled = table.Column<int>(type: "integer", nullable: true),
                    LastSessionOn = table.Column<DateOnly>(type: "date", nullable: true),
                    NextDueDate = table.Column<DateOnly>(type: "date", nullable: true),
                    StaleAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ComputedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_adherence_summaries", x => x.PlanId);
                    table.ForeignKey(
                        name: "FK_adherence_summaries_patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "patients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_adherence_summaries_sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_adherence_summaries_treatment_plans_PlanId",
                        column: x => x.PlanId,
                        principalTable: "treatment_plans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_adherence_summaries_AdherenceRateScaled_Missed_PlanId",
                table: "adherence_summaries",
                columns: new[] { "AdherenceRateScaled", "Missed", "PlanId" },
                descending: new[] { false, true, false });

            migrationBuilder.CreateIndex(
                name: "IX_adherence_summaries_PatientId",
                table: "adherence_summaries",
                column: "PatientId");

            migrationBuilder.CreateIndex(
                name: "IX_adherence_summaries_SiteId_AdherenceRateScaled_Missed_PlanId",
                table: "adherence_summaries",
                columns: new[] { "SiteId", "AdherenceRateScaled", "Missed", "PlanId" },
                descending: new[] { false, false, true, false });

            migrationBuilder.CreateIndex(
                name: "IX_adherence_summaries_StaleAtUtc_PlanId",
                table: "adherence_summaries",
                columns: new[] { "StaleAtUtc", "PlanId" });

            // Every active plan gets a placeholder that is stale at once (StaleAtUtc in 1970): the report computes
            // those plans itself until the background refresh (ADR 0016) replaces each placeholder with its figures.
            migrationBuilder.Sql("""
                INSERT INTO adherence_summaries ("PlanId", "PatientId", "SiteId", "TimeZone", "AsOf", "Due", "OnTime", "Late", "Missed", "StaleAtUtc", "ComputedAt", "Version")
                SELECT "Id", "PatientId", "SiteId", "TimeZone", DATE '0001-01-01', 0, 0, 0, 0, TIMESTAMPTZ '1970-01-01 00:00:00+00', TIMESTAMPTZ '1970-01-01 00:00:00+00', 0
                FROM treatment_plans WHERE "Status" = 'Active';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "adherence_summaries");
        }
    }
}
