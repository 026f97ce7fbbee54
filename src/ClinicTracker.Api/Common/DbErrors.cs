using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ClinicTracker.Api.Common;

/// <summary>
/// Recognizes the errors of the providers we run on that are answers, not bugs: a constraint violation (a race,
/// a 409) and a database that cannot be reached or is busy (a 503).
/// </summary>
public static class DbErrors
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteCantOpen = 14;
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        SqliteException { SqliteErrorCode: SqliteConstraint } sqlite =>
            sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>
    /// The database cannot be reached, is busy beyond its timeouts, or could not take the audit row, anywhere in
    /// the exception's chain: nothing of the request was stored, and the same request may be sent again.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Auditing.AuditUnavailableException or TimeoutException or NpgsqlException { IsTransient: true } ||
                e is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked or SqliteCantOpen })
            {
                return true;
            }
        }

        return false;
    }
}
