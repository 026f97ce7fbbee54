using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ClinicTracker.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class FhirExport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "export_jobs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Owner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    OwnerRoles = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    AllSites = table.Column<bool>(type: "boolean", nullable: false),
                    SiteIds = table.Column<string>(type: "text", nullable: false),
                    RequestUrl = table.Column<string>(type: "text", nullable: false),
                    KickOffRoute = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Group = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Types = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    Since = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    OutputFormat = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TransactionTime = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    PatientsTotal = table.Column<int>(type: "integer", nullable: false),
                    PatientsDone = table.Column<int>(type: "integer", nullable: false),
                    BatchesDone = table.Column<int>(type: "integer", nullable: false),
                    Position = table.Column<Guid>(type: "uuid", nullable: true),
                    Version = table.Column<long>(type: "bigint", nullable: false),
                    Claims = table.Column<int>(type: "integer", nullable: false),
                    LeaseOwner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    LeaseExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_export_jobs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "export_files",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    JobId = table.Column<Guid>(type: "uuid", nullable: false),
                    Batch = table.Column<int>(type: "integer", nullable: false),
                    ResourceType = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false),
                    UncompressedBytes = table.Column<long>(type: "bigint", nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_export_files", x => x.Id);
                    table.ForeignKey(
                        name: "FK_export_files_export_jobs_JobId",
                        column: x => x.JobId,
                        principalTable: "export_jobs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_export_files_JobId_Batch_ResourceType",
                table: "export_files",
                columns: new[] { "JobId", "Batch", "ResourceType" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_export_jobs_ExpiresAt",
                table: "export_jobs",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_export_jobs_Owner_Status",
                table: "export_jobs",
                columns: new[] { "Owner", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_export_jobs_Status_LeaseExpiresAt",
                table: "export_jobs",
                columns: new[] { "Status", "LeaseExpiresAt" });

            // The files are gzip already: EXTERNAL stores them out of line without PostgreSQL's own compression, which
            // would only spend time finding that they do not shrink (ADR 0019).
            migrationBuilder.Sql("ALTER TABLE export_files ALTER COLUMN \"Content\" SET STORAGE EXTERNAL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "export_files");

            migrationBuilder.DropTable(
                name: "export_jobs");
        }
    }
}
