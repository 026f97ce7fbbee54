using System.Buffers.Text;
using System.Linq.Expressions;
using System.Text;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Sites;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Common;

/// <summary>A page of a list (api-outline.md): the items and an opaque cursor for the next page, null on the last.</summary>
/// <param name="Items">The items of this page, in the list's stated order.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> to get the next page; null when this is the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>The <c>limit</c> and <c>cursor</c> query parameters, checked once for every list.</summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Reads limit (1–200, default 50) and decodes the cursor; returns a validation problem when either is bad.</summary>
    public static ValidationProblem? TryRead(int? limit, string? cursor, out int pageSize, out string? position)
    {
        pageSize = limit ?? DefaultLimit;
        position = null;
        if (pageSize is < 1 or > MaxLimit)
        {
            return Problems.Validation("limit", $"limit must be between 1 and {MaxLimit}.");
        }

        if (cursor is null)
        {
            return null;
        }

        try
        {
            position = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return null;
        }
        catch (FormatException)
        {
            return Problems.Validation("cursor", "cursor is not one this API issued.");
        }
    }

    public static string Encode(string position) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(position));

    /// <summary>
    /// A patient's records of one kind, newest first in recording order: <c>limit</c> and <c>cursor</c> checked, 404 when
    /// the patient is not there (or not visible at the caller's sites), then one keyset page.
    /// </summary>
    public static async Task<Results<Ok<Page<TResponse>>, ValidationProblem, ProblemHttpResult>> OfPatientAsync<T, TResponse>(
        ClinicDbContext db, Guid patientId, IQueryable<T> records, int? limit, string? cursor, Func<T, TResponse> map, CancellationToken ct)
        where T : class, IRecordedInOrder, IPatientLinked
    {
        if (TryRead(limit, cursor, out var pageSize, out var position) is { } invalid)
        {
            return invalid;
        }

        if (!await db.Patients.AnyAsync(p => p.Id == patientId, ct))
        {
            return Problems.NotFound("patient", patientId);
        }

        var (page, invalidCursor) = await ByRecordingOrderAsync(
            records.AsNoTracking().Where(r => r.PatientId == patientId), position, pageSize, map, newestFirst: true, ct);
        return invalidCursor is null ? TypedResults.Ok(page!) : invalidCursor;
    }

    /// <summary>
    /// One page of records in recording order (oldest first, or newest first), keyed by their version-7 id:
    /// stable when records are added between pages. Returns a validation problem for a foreign cursor.
    /// </summary>
    public static async Task<(Page<TResponse>? Page, ValidationProblem? Invalid)> ByRecordingOrderAsync<T, TResponse>(
        IQueryable<T> query, string? position, int pageSize, Func<T, TResponse> map, bool newestFirst, CancellationToken ct)
        where T : class, IRecordedInOrder
    {
        var (page, invalid) = await ByRecordingOrderAsync(query, position, pageSize, r => r, r => r.Id, newestFirst, ct);
        return (page is null ? null : new Page<TResponse>([.. page.Items.Select(map)], page.NextCursor), invalid);
    }

    /// <summary>The same page, with each row projected in SQL (for responses that need a subquery).</summary>
    public static async Task<(Page<TResponse>? Page, ValidationProblem? Invalid)> ByRecordingOrderAsync<T, TResponse>(
        IQueryable<T> query, string? position, int pageSize, Expression<Func<T, TResponse>> projection, Func<TResponse, Guid> idOf,
        bool newestFirst, CancellationToken ct)
        where T : class, IRecordedInOrder
    {
        if (position is not null)
        {
            if (!Guid.TryParse(position, out var last))
            {
                return (null, Problems.Validation("cursor", "cursor is not one this API issued."));
            }

            query = newestFirst ? query.Where(r => r.Id.CompareTo(last) < 0) : query.Where(r => r.Id.CompareTo(last) > 0);
        }

        var rows = await (newestFirst ? query.OrderByDescending(r => r.Id) : query.OrderBy(r => r.Id)).Take(pageSize + 1)
            .Select(projection).ToListAsync(ct);
        var next = rows.Count > pageSize ? Encode(idOf(rows[pageSize - 1]).ToString()) : null;
        return (new Page<TResponse>([.. rows.Take(pageSize)], next), null);
    }
}

/// <summary>A keyset position of lists ordered by an instant and then an id (session history, assessments).</summary>
public static class InstantCursor
{
    public static string Encode(DateTime instant, Guid id) =>
        Paging.Encode(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{instant.Ticks}:{id}"));

    public static bool TryParse(string position, out DateTime instant, out Guid id)
    {
        instant = default;
        id = default;
        var parts = position.Split(':');
        if (parts.Length != 2 || !long.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var ticks) ||
            ticks < 0 || ticks > DateTime.MaxValue.Ticks || !Guid.TryParse(parts[1], out id))
        {
            return false;
        }

        instant = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }
}
