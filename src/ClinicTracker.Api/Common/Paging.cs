using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

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
}
