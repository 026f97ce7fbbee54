namespace ClinicTracker.Core.Common;

/// <summary>How a refused rule maps to the problem the API returns.</summary>
public enum ViolationKind
{
    /// <summary>The request conflicts with the record's state (409), e.g. an invalid session transition.</summary>
    Conflict,

    /// <summary>The request is well-formed but a clinical rule refuses it (422), e.g. a dose above a limit.</summary>
    Unprocessable,
}

/// <summary>A rule's refusal: returned, never thrown, so handlers turn it into a problem response.</summary>
/// <param name="Kind">Conflict or rule refusal.</param>
/// <param name="Code">Stable code clients branch on (api-outline.md), e.g. <c>session.invalid-transition</c>.</param>
/// <param name="Title">Short human-readable summary.</param>
/// <param name="Detail">What exactly was refused; ids and numbers only, never patient data.</param>
/// <param name="Extensions">Extra members of the problem (limits, totals, warnings).</param>
public sealed record RuleViolation(
    ViolationKind Kind, string Code, string Title, string Detail, IReadOnlyDictionary<string, object?>? Extensions = null)
{
    public static RuleViolation Conflict(string code, string title, string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(ViolationKind.Conflict, code, title, detail, extensions);

    public static RuleViolation Unprocessable(string code, string title, string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new(ViolationKind.Unprocessable, code, title, detail, extensions);
}
