using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ClinicTracker.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ControlledSubstanceStock : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "LotId",
                table: "waste_entries",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "LotId",
                table: "dose_entries",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "stock_lots",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SiteId = table.Column<Guid>(type: "uuid", nullable: false),
                    Medication = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Form = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Strength = table.Column<decimal>(type: "numeric(9,3)", precision: 9, scale: 3, nullable: false),
                    LotNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    LotNumberNormalized = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ExpiresOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Manufacturer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stock_lots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_stock_lots_sites_SiteId",
                        column: x => x.SiteId,
                        principalTable: "sites",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "stock_counts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    LotId = table.Column<Guid>(type: "uuid", nullable: false),
                    SiteId = table.Column<Guid>(type: "uuid", nullable: false),
                    CountedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CountedUg = table.Column<long>(type: "bigint", nullable: false),
                    ExpectedUg = table.Column<long>(type: "bigint", nullable: false),
                    Note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CountedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    WitnessUserName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stock_counts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_stock_counts_stock_lots_LotId",
                        column: x => x.LotId,
                        principalTable: "stock_lots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "stock_disposals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    LotId = table.Column<Guid>(type: "uuid", nullable: false),
                    SiteId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    AmountUg = table.Column<long>(type: "bigint", nullable: false),
                    DisposedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Reference = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    RecordedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    WitnessUserName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stock_disposals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_stock_disposals_stock_lots_LotId",
                        column: x => x.LotId,
                        principalTable: "stock_lots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "stock_receipts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    LotId = table.Column<Guid>(type: "uuid", nullable: false),
                    SiteId = table.Column<Guid>(type: "uuid", nullable: false),
                    QuantityUg = table.Column<long>(type: "bigint", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Supplier = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    InvoiceNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ReceivedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    WitnessUserName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stock_receipts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_stock_receipts_stock_lots_LotId",
                        column: x => x.LotId,
                        principalTable: "stock_lots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "stock_discrepancies",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    LotId = table.Column<Guid>(type: "uuid", nullable: false),
                    SiteId = table.Column<Guid>(type: "uuid", nullable: false),
                    CountId = table.Column<Guid>(type: "uuid", nullable: false),
                    AmountUg = table.Column<long>(type: "bigint", nullable: false),
                    OpenedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ResolvedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ResolvedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Resolution = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    ResolutionReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ReportedToDea = table.Column<bool>(type: "boolean", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stock_discrepancies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_stock_discrepancies_stock_counts_CountId",
                        column: x => x.CountId,
                        principalTable: "stock_counts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_stock_discrepancies_stock_lots_LotId",
                        column: x => x.LotId,
                        principalTable: "stock_lots",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_waste_entries_LotId_WastedAt",
                table: "waste_entries",
                columns: new[] { "LotId", "WastedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_dose_entries_LotId_AdministeredAt",
                table: "dose_entries",
                columns: new[] { "LotId", "AdministeredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_stock_counts_LotId_CountedAt",
                table: "stock_counts",
                columns: new[] { "LotId", "CountedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_stock_discrepancies_CountId",
                table: "stock_discrepancies",
                column: "CountId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_stock_discrepancies_LotId_ResolvedAt",
                table: "stock_discrepancies",
                columns: new[] { "LotId", "ResolvedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_stock_disposals_LotId_DisposedAt",
                table: "stock_disposals",
                columns: new[] { "LotId", "DisposedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_stock_lots_SiteId_LotNumberNormalized",
                table: "stock_lots",
                columns: new[] { "SiteId", "LotNumberNormalized" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_stock_receipts_LotId_ReceivedAt",
                table: "stock_receipts",
                columns: new[] { "LotId", "ReceivedAt" });

            migrationBuilder.AddForeignKey(
                name: "FK_dose_entries_stock_lots_LotId",
                table: "dose_entries",
                column: "LotId",
                principalTable: "stock_lots",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_waste_entries_stock_lots_LotId",
                table: "waste_entries",
                column: "LotId",
                principalTable: "stock_lots",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_dose_entries_stock_lots_LotId",
                table: "dose_entries");

            migrationBuilder.DropForeignKey(
                name: "FK_waste_entries_stock_lots_LotId",
                table: "waste_entries");

            migrationBuilder.DropTable(
                name: "stock_discrepancies");

            migrationBuilder.DropTable(
                name: "stock_disposals");

            migrationBuilder.DropTable(
                name: "stock_receipts");

            migrationBuilder.DropTable(
                name: "stock_counts");

            migrationBuilder.DropTable(
                name: "stock_lots");

            migrationBuilder.DropIndex(
                name: "IX_waste_entries_LotId_WastedAt",
                table: "waste_entries");

            migrationBuilder.DropIndex(
                name: "IX_dose_entries_LotId_AdministeredAt",
                table: "dose_entries");

            migrationBuilder.DropColumn(
                name: "LotId",
                table: "waste_entries");

            migrationBuilder.DropColumn(
                name: "LotId",
                table: "dose_entries");
        }
    }
}
