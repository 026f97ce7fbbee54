using System;
using ClinicTracker.Core.Sites;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ClinicTracker.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Sites : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "SiteId",
                table: "treatment_sessions",
                type: "uuid",
                nullable: false,
                defaultValue: Site.DefaultId);

            migrationBuilder.AddColumn<Guid>(
                name: "SiteId",
                table: "treatment_plans",
                type: "uuid",
                nullable: false,
                defaultValue: Site.DefaultId);

            migrationBuilder.AddColumn<Guid>(
                name: "HomeSiteId",
                table: "patients",
                type: "uuid",
                nullable: false,
                defaultValue: Site.DefaultId);

            migrationBuilder.AddColumn<bool>(
                name: "AllSites",
                table: "clinicians",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "SiteId",
                table: "audit_entries",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "sites",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    NameNormalized = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    TimeZone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Address = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    DeaRegistration = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: true),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sites", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "clinician_sites",
                columns: table => new
                {
                    SiteId = table.Column<Guid>(type: "uuid", nullable: false),
                    ClinicianId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_clinician_sites", x => new { x.ClinicianId, x.SiteId });
                    table.ForeignKey(
                        name: "FK_clinician_sites_clinicians_ClinicianId",
                        column: x => x.ClinicianId,
                        principalTable: "clinicians",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_clinician_sites_sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            // domain.md §14: the records that existed before sites all belong to one default site, and so does every
            // register entry, so a single clinic notices nothing. Its zone is the one most of the clinic's plans use
            // (UTC when there are none); Sites:DefaultTimeZone replaces it at start-up until an admin changes the site.
            migrationBuilder.InsertData(
                table: "sites",
                columns: ["Id", "Name", "NameNormalized", "TimeZone", "Address", "DeaRegistration", "Active", "CreatedAt", "CreatedBy", "UpdatedAt", "UpdatedBy", "Version"],
                // The instants are replaced by the moment the migration runs, just below.
                values: new object[] { Site.DefaultId, "Main site", "MAIN SITE", "UTC", null, null, true, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), Site.MigrationActor, new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), Site.MigrationActor, 1 });
            migrationBuilder.Sql($"""
                UPDATE sites SET "CreatedAt" = CURRENT_TIMESTAMP, "UpdatedAt" = CURRENT_TIMESTAMP, "TimeZone" = COALESCE(
                    (SELECT "TimeZone" FROM treatment_plans GROUP BY "TimeZone" ORDER BY COUNT(*) DESC, "TimeZone" LIMIT 1), 'UTC')
                WHERE "Id" = '{Site.DefaultId.ToString().ToUpperInvariant()}'::uuid;
                """);
            migrationBuilder.Sql($"""
                INSERT INTO clinician_sites ("ClinicianId", "SiteId") SELECT "Id", '{Site.DefaultId.ToString().ToUpperInvariant()}'::uuid FROM clinicians;
                """);

            migrationBuilder.CreateTable(
                name: "home_site_moves",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PatientId = table.Column<Guid>(type: "uuid", nullable: false),
                    FromSiteId = table.Column<Guid>(type: "uuid", nullable: false),
                    ToSiteId = table.Column<Guid>(type: "uuid", nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    MovedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    MovedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_home_site_moves", x => x.Id);
                    table.ForeignKey(
                        name: "FK_home_site_moves_patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "patients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_home_site_moves_sites_FromSiteId",
                        column: x => x.FromSiteId,
                        principalTable: "sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_home_site_moves_sites_ToSiteId",
                        column: x => x.ToSiteId,
                        principalTable: "sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "patient_shares",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PatientId = table.Column<Guid>(type: "uuid", nullable: false),
                    SiteId = table.Column<Guid>(type: "uuid", nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    GrantedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    GrantedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    RevokedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    RevocationReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_patient_shares", x => x.Id);
                    table.ForeignKey(
                        name: "FK_patient_shares_patients_PatientId",
                        column: x => x.PatientId,
                        principalTable: "patients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_patient_shares_sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_treatment_sessions_SiteId_ScheduledAt",
                table: "treatment_sessions",
                columns: new[] { "SiteId", "ScheduledAt" });

            migrationBuilder.CreateIndex(
                name: "IX_treatment_plans_SiteId_Status",
                table: "treatment_plans",
                columns: new[] { "SiteId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_patients_HomeSiteId",
                table: "patients",
                column: "HomeSiteId");

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_SiteId_Id",
                table: "audit_entries",
                columns: new[] { "SiteId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_clinician_sites_SiteId",
                table: "clinician_sites",
                column: "SiteId");

            migrationBuilder.CreateIndex(
                name: "IX_home_site_moves_FromSiteId",
                table: "home_site_moves",
                column: "FromSiteId");

            migrationBuilder.CreateIndex(
                name: "IX_home_site_moves_PatientId_Id",
                table: "home_site_moves",
                columns: new[] { "PatientId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_home_site_moves_ToSiteId",
                table: "home_site_moves",
                column: "ToSiteId");

            migrationBuilder.CreateIndex(
                name: "IX_patient_shares_PatientId_Id",
                table: "patient_shares",
                columns: new[] { "PatientId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_patient_shares_SiteId",
                table: "patient_shares",
                column: "SiteId");

            migrationBuilder.CreateIndex(
                name: "UX_patient_shares_active",
                table: "patient_shares",
                columns: new[] { "PatientId", "SiteId" },
                unique: true,
                filter: "\"RevokedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_sites_DeaRegistration",
                table: "sites",
                column: "DeaRegistration",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sites_NameNormalized",
                table: "sites",
                column: "NameNormalized",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_patients_sites_HomeSiteId",
                table: "patients",
                column: "HomeSiteId",
                principalTable: "sites",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_treatment_plans_sites_SiteId",
                table: "treatment_plans",
                column: "SiteId",
                principalTable: "sites",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_treatment_sessions_sites_SiteId",
                table: "treatment_sessions",
                column: "SiteId",
                principalTable: "sites",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_patients_sites_HomeSiteId",
                table: "patients");

            migrationBuilder.DropForeignKey(
                name: "FK_treatment_plans_sites_SiteId",
                table: "treatment_plans");

            migrationBuilder.DropForeignKey(
                name: "FK_treatment_sessions_sites_SiteId",
                table: "treatment_sessions");

            migrationBuilder.DropTable(
                name: "clinician_sites");

            migrationBuilder.DropTable(
                name: "home_site_moves");

            migrationBuilder.DropTable(
                name: "patient_shares");

            migrationBuilder.DropTable(
                name: "sites");

            migrationBuilder.DropIndex(
                name: "IX_treatment_sessions_SiteId_ScheduledAt",
                table: "treatment_sessions");

            migrationBuilder.DropIndex(
                name: "IX_treatment_plans_SiteId_Status",
                table: "treatment_plans");

            migrationBuilder.DropIndex(
                name: "IX_patients_HomeSiteId",
                table: "patients");

            migrationBuilder.DropIndex(
                name: "IX_audit_entries_SiteId_Id",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "SiteId",
                table: "treatment_sessions");

            migrationBuilder.DropColumn(
                name: "SiteId",
                table: "treatment_plans");

            migrationBuilder.DropColumn(
                name: "HomeSiteId",
                table: "patients");

            migrationBuilder.DropColumn(
                name: "AllSites",
                table: "clinicians");

            migrationBuilder.DropColumn(
                name: "SiteId",
                table: "audit_entries");
        }
    }
}
