namespace ClinicTracker.Migrations.Postgres;

/// <summary>Names this assembly for <c>UseNpgsql(..., o => o.MigrationsAssembly(...))</c>.</summary>
public static class PostgresMigrationsAssembly
{
    public static string Name { get; } = typeof(PostgresMigrationsAssembly).Assembly.GetName().Name!;
}
