namespace ClinicTracker.Api.Auditing;

/// <summary>One audit row.</summary>
/// <param name="Chain">The chain the row belongs to (0–15; ADR 0013).</param>
/// <param name="Sequence">Position in its chain (1, 2, 3…).</param>
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
/// <param name="SiteId">The site of the record touched (a session's or plan's site, else the patient's home site), if any.</param>
public sealed record AuditEntryResponse(
    int Chain, long Sequence, Guid Id, DateTime At, string UserName, IReadOnlyList<string> Roles, string Action, string Method, string Route,
    string? ResourceType, Guid? ResourceId, Guid? PatientId, int Status, string CorrelationId, string Hash, Guid? SiteId);

/// <summary>The result of checking every audit chain.</summary>
/// <param name="Intact">True when every row links to its predecessor and matches its hash, and every chain ends at its head.</param>
/// <param name="RowsChecked">Rows read.</param>
/// <param name="FirstBroken">The first row where the chain breaks, if any.</param>
public sealed record AuditVerification(bool Intact, long RowsChecked, AuditBreakResponse? FirstBroken);

/// <summary>Where a chain breaks.</summary>
/// <param name="Chain">The chain.</param>
/// <param name="Sequence">The row's position in its chain.</param>
/// <param name="RowId">The row's id; null when the row is missing.</param>
/// <param name="Reason">What is wrong: a missing row, a broken link, changed content, or an end that is not the head.</param>
public sealed record AuditBreakResponse(int Chain, long Sequence, Guid? RowId, string Reason);

/// <summary>Where one chain ends.</summary>
/// <param name="Chain">The chain.</param>
/// <param name="Sequence">Its last row's sequence; 0 when empty.</param>
/// <param name="Hash">Its last row's hash; GENESIS when empty.</param>
public sealed record AuditChainHeadResponse(int Chain, long Sequence, string Hash);

/// <summary>The chains' heads at one moment, to keep outside the database (docs/security.md).</summary>
/// <param name="At">When the heads were read (UTC).</param>
/// <param name="Chains">Every chain's head.</param>
/// <param name="Rows">Rows in the trail at that moment (the sum of the sequences).</param>
public sealed record AuditHeadResponse(DateTime At, IReadOnlyList<AuditChainHeadResponse> Chains, long Rows);

/// <summary>One chain of an exported head, checked against the trail.</summary>
/// <param name="Chain">The chain.</param>
/// <param name="Sequence">The exported head's sequence.</param>
/// <param name="Matches">True when the trail still holds that row with that hash.</param>
/// <param name="Reason">What is wrong, when it does not.</param>
public sealed record AuditChainHeadCheck(int Chain, long Sequence, bool Matches, string? Reason);

/// <summary>An exported head checked against the trail: with <c>GET /audit/verify</c> intact, the rows up to it are all there.</summary>
/// <param name="Matches">True when every chain matches.</param>
/// <param name="Chains">Each chain's result.</param>
public sealed record AuditHeadCheck(bool Matches, IReadOnlyList<AuditChainHeadCheck> Chains);
