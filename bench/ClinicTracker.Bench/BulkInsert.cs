using System.Data.Common;
using ClinicTracker.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace ClinicTracker.Bench;

/// <summary>
/// Inserts entities built by the domain factories without EF's change tracker: PostgreSQL binary COPY, SQLite one
/// transaction of prepared, reused INSERTs. The table, its columns and each value's stored form come from the EF
/// model (<see cref="IEntityType.GetProperties"/>, the column names, the value converters and the type mappings EF
/// itself binds parameters with), so no column is written down twice and a model change cannot be missed here.
/// </summary>
/// <remarks>
/// The secondary indexes of the tables being filled are dropped first and re-created afterwards from their own
/// definitions as the database holds them (<c>pg_indexes.indexdef</c>, <c>sqlite_master.sql</c>), so the migrations
/// stay the only author of the schema: building an index once over sorted input is several times faster than
/// maintaining it row by row.
/// </remarks>
public sealed class BulkInsert(ClinicDbContext db)
{
    private readonly List<(string Name, string Definition)> droppedIndexes = [];

    public bool IsPostgres => db.Database.IsNpgsql();

    /// <summary>Drops the non-unique, non-primary-key indexes of <paramref name="tables"/>; <see cref="RestoreIndexesAsync"/> makes them again.</summary>
    public async Task DropIndexesAsync(IEnumerable<string> tables)
    {
        var names = tables.ToList();
        var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        // Unique indexes stay (they are rules, e.g. one open session per patient, and must judge every row).
        command.CommandText = IsPostgres
            ? "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ANY(@tables) AND indexdef NOT LIKE 'CREATE UNIQUE%'"
            : "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN (SELECT value FROM json_each(@tables))";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@tables";
        parameter.Value = IsPostgres ? names.ToArray() : System.Text.Json.JsonSerializer.Serialize(names);
        command.Parameters.Add(parameter);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                droppedIndexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (name, _) in droppedIndexes)
        {
            await ExecuteAsync(connection, $"DROP INDEX \"{name}\"");
        }
    }

    public async Task RestoreIndexesAsync()
    {
        var connection = await OpenAsync();
        foreach (var (_, definition) in droppedIndexes)
        {
            await ExecuteAsync(connection, definition);
        }

        droppedIndexes.Clear();
    }

    /// <summary>Writes <paramref name="rows"/> (all of one entity type) in the order given.</summary>
    public async Task InsertAsync<T>(IReadOnlyList<T> rows)
        where T : class
    {
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = entityType.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table, entityType.GetSchema());
        var columns = entityType.GetProperties()
            .Select(p => new Column(p, p.GetColumnName(store)!, (RelationalTypeMapping)p.GetTypeMapping()))
            .ToList();
        var connection = await OpenAsync();
        if (connection is NpgsqlConnection npgsql)
        {
            await CopyAsync(npgsql, table, columns, rows);
        }
        else
        {
            await InsertSqliteAsync((SqliteConnection)connection, table, columns, rows);
        }
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, string table, List<Column> columns, IReadOnlyList<T> rows)
        where T : class
    {
        var list = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        await using var writer = await connection.BeginBinaryImportAsync($"COPY \"{table}\" ({list}) FROM STDIN (FORMAT BINARY)");
        writer.Timeout = TimeSpan.FromMinutes(30);
        // The PostgreSQL type of each column, as the type mapping names it without its facets ("character varying(32)" → "character varying").
        var types = columns.Select(c => c.Mapping.StoreType.Split('(')[0]).ToArray();
        foreach (var row in rows)
        {
            await writer.StartRowAsync();
            for (var i = 0; i < columns.Count; i++)
            {
                var value = columns[i].Value(row);
                if (value is null)
                {
                    await writer.WriteNullAsync();
                }
                else
                {
                    await writer.WriteAsync(value, types[i]);
                }
            }
        }

        await writer.CompleteAsync();
    }

    private static async Task InsertSqliteAsync<T>(SqliteConnection connection, string table, List<Column> columns, IReadOnlyList<T> rows)
        where T : class
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) " +
                              $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
        // The parameters EF itself would bind (type mapping: DbType, size, the stored form of a Guid or a decimal).
        var parameters = columns.Select((c, i) => c.Mapping.CreateParameter(command, $"@p{i}", null, c.Property.IsNullable)).ToArray();
        command.Parameters.AddRange(parameters);
        command.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                parameters[i].Value = columns[i].Value(row) ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private async Task<DbConnection> OpenAsync()
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync();
        }

        return connection;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 1800;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>One mapped property: its column and the provider value of an entity (after the model's value converter).</summary>
    private sealed class Column(IProperty property, string name, RelationalTypeMapping mapping)
    {
        private readonly IClrPropertyGetter getter = property.GetGetter();
        private readonly Func<object?, object?>? toProvider = mapping.Converter?.ConvertToProvider;

        public IProperty Property { get; } = property;

        public string Name { get; } = name;

        public RelationalTypeMapping Mapping { get; } = mapping;

        public object? Value(object entity)
        {
            var value = getter.GetClrValue(entity);
            return value is null ? null : toProvider is null ? value : toProvider(value);
        }
    }
}
