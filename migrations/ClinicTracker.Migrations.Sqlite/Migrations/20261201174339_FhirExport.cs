using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ClinicTracker.Migrations.Sqlite.Migrations
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    OwnerRoles = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AllSites = table.Column<bool>(type: "INTEGER", nullable: false),
                    SiteIds = table.Column<string>(type: "TEXT", nullable: false),
                    RequestUrl = table.Column<string>(type: "TEXT", nullable: false),
                    KickOffRoute = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Group = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Types = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    Since = table.Column<DateTime>(type: "TEXT", nullable: true),
                    OutputFormat = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TransactionTime = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PatientsTotal = table.Column<int>(type: "INTEGER", nullable: false),
                    PatientsDone = table.Column<int>(type: "INTEGER", nullable: false),
                    BatchesDone = table.Column<int>(type: "INTEGER", nullable: false),
                    Position = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false),
                    Claims = table.Column<int>(type: "INTEGER", nullable: false),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    LeaseExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_export_jobs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "export_files",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    JobId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Batch = table.Column<int>(type: "INTEGER", nullable: false),
                    ResourceType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    UncompressedBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
