namespace ClinicTracker.Migrations.Sqlite;

/// <summary>Names this assembly for <c>UseSqlite(..., o => o.MigrationsAssembly(...))</c>.</summary>
public static class SqliteMigrationsAssembly
{
    public static string Name { get; } = typeof(SqliteMigrationsAssembly).Assembly.GetName().Name!;
}
