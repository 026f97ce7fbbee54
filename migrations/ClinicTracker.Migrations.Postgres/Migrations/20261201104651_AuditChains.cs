using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace ClinicTracker.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AuditChains : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_audit_entries_PatientId_Sequence",
                table: "audit_entries");

            migrationBuilder.DropIndex(
                name: "IX_audit_entries_Sequence",
                table: "audit_entries");

            migrationBuilder.DropIndex(
                name: "IX_audit_entries_UserName_Sequence",
                table: "audit_entries");

            migrationBuilder.AddColumn<int>(
                name: "Chain",
                table: "audit_entries",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "audit_chain_heads",
                columns: table => new
                {
                    Chain = table.Column<int>(type: "integer", nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_chain_heads", x => x.Chain);
                });

            migrationBuilder.InsertData(
                table: "audit_chain_heads",
                columns: new[] { "Chain", "Hash", "Sequence" },
                values: new object[,]
                {
                    { 0, "GENESIS", 0L },
                    { 1, "GENESIS", 0L },
                    { 2, "GENESIS", 0L },
                    { 3, "GENESIS", 0L },
                    { 4, "GENESIS", 0L },
                    { 5, "GENESIS", 0L },
                    { 6, "GENESIS", 0L },
                    { 7, "GENESIS", 0L },
                    { 8, "GENESIS", 0L },
                    { 9, "GENESIS", 0L },
                    { 10, "GENESIS", 0L },
                    { 11, "GENESIS", 0L },
                    { 12, "GENESIS", 0L },
                    { 13, "GENESIS", 0L },
                    { 14, "GENESIS", 0L },
                    { 15, "GENESIS", 0L }
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_Chain_Sequence",
                table: "audit_entries",
                columns: new[] { "Chain", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_PatientId_Id",
                table: "audit_entries",
                columns: new[] { "PatientId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_UserName_Id",
                table: "audit_entries",
                columns: new[] { "UserName", "Id" });

            // Rows written before there were several chains form chain 0; its head is their last row.
            migrationBuilder.Sql("""
                UPDATE audit_chain_heads
                SET "Sequence" = (SELECT MAX("Sequence") FROM audit_entries),
                    "Hash" = (SELECT "Hash" FROM audit_entries ORDER BY "Sequence" DESC LIMIT 1)
                WHERE "Chain" = 0 AND EXISTS (SELECT 1 FROM audit_entries);
                """);

            // Claims that never completed were left by requests cut off before ADR 0013 (claim and record in one
            // transaction): their records were never stored, so a retry with the key must run again.
            migrationBuilder.Sql("""DELETE FROM idempotency_keys WHERE "Completed" = FALSE;""");

            // The database itself refuses to edit, delete or truncate audit rows, and lets a chain head only move
            // forward (ADR 0013).
            migrationBuilder.Sql("""
                CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'audit_entries is append-only: % refused (ADR 0013)', TG_OP;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
                FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
                FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION audit_chain_heads_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP <> 'UPDATE' OR NEW."Chain" <> OLD."Chain" OR NEW."Sequence" <= OLD."Sequence" THEN
                        RAISE EXCEPTION 'an audit chain head only moves forward: % refused (ADR 0013)', TG_OP;
                    END IF;
                    RETURN NEW;
                END $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_chain_heads_forward_only BEFORE UPDATE OR DELETE ON audit_chain_heads
                FOR EACH ROW EXECUTE FUNCTION audit_chain_heads_forward_only();
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER audit_chain_heads_no_truncate BEFORE TRUNCATE ON audit_chain_heads
                FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_heads_forward_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER audit_entries_append_only ON audit_entries;");
            migrationBuilder.Sql("DROP TRIGGER audit_entries_no_truncate ON audit_entries;");
            migrationBuilder.Sql("DROP TRIGGER audit_chain_heads_forward_only ON audit_chain_heads;");
            migrationBuilder.Sql("DROP TRIGGER audit_chain_heads_no_truncate ON audit_chain_heads;");
            migrationBuilder.Sql("DROP FUNCTION audit_entries_append_only();");
            migrationBuilder.Sql("DROP FUNCTION audit_chain_heads_forward_only();");

            migrationBuilder.DropTable(
                name: "audit_chain_heads");

            migrationBuilder.DropIndex(
                name: "IX_audit_entries_Chain_Sequence",
                table: "audit_entries");

            migrationBuilder.DropIndex(
                name: "IX_audit_entries_PatientId_Id",
                table: "audit_entries");

            migrationBuilder.DropIndex(
                name: "IX_audit_entries_UserName_Id",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "Chain",
                table: "audit_entries");

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_PatientId_Sequence",
                table: "audit_entries",
                columns: new[] { "PatientId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_Sequence",
                table: "audit_entries",
                column: "Sequence",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_audit_entries_UserName_Sequence",
                table: "audit_entries",
                columns: new[] { "UserName", "Sequence" });
        }
    }
}
