namespace ClinicTracker.Api.Auditing;

/// <summary>One audit row.</summary>
/// <param name="Sequence">Position in the chain (1, 2, 3…).</param>
/// <param name="Id">Row id.</param>
/// <param name="At">When (UTC).</param>
/// <param name="UserName">The token user who acted.</param>
/// <param name="Roles">The token's roles.</param>
/// <param name="Action">The operation (OpenAPI operationId), e.g. RecordDose.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Route">Route template (ids in the path, never query text).</param>
/// <param name="ResourceType">Kind of resource (the API tag).</param>
/// <param name="ResourceId">The resource acted on or created.</param>
/// <param name="PatientId">The patient whose record it is, if any.</param>
/// <param name="Status">HTTP status of the outcome.</param>
/// <param name="CorrelationId">Trace id, as in problem responses and logs.</param>
/// <param name="Hash">This row's chain hash.</param>
public sealed record AuditEntryResponse(
    long Sequence, Guid Id, DateTime At, string UserName, IReadOnlyList<string> Roles, string Action, string Method, string Route,
    string? ResourceType, Guid? ResourceId, Guid? PatientId, int Status, string CorrelationId, string Hash);

/// <summary>The result of checking the whole audit chain.</summary>
/// <param name="Intact">True when every row links to its predecessor and matches its hash.</param>
/// <param name="RowsChecked">Rows read.</param>
/// <param name="FirstBroken">The first row where the chain breaks, if any.</param>
public sealed record AuditVerification(bool Intact, long RowsChecked, AuditBreakResponse? FirstBroken);

/// <summary>Where the chain breaks.</summary>
/// <param name="Sequence">The row's position.</param>
/// <param name="RowId">The row's id.</param>
/// <param name="Reason">What is wrong: a missing row, a broken link or changed content.</param>
public sealed record AuditBreakResponse(long Sequence, Guid RowId, string Reason);
