namespace ClinicTracker.Api.Common;

/// <summary>
/// The problem codes an endpoint can answer with for one status, beyond those every operation of its kind gives
/// (<see cref="ProblemResponsesOperationFilter"/> adds those: authorization, body, query, path, idempotency, rate
/// limit). The document lists them in the operation's description and as the <c>enum</c> of the response's
/// <c>code</c>, so the contract check that every HTTP test runs fails on a code an operation does not declare.
/// </summary>
public sealed record ProblemCodesMetadata(int Status, IReadOnlyList<string> Codes);

public static class ProblemCodesExtensions
{
    /// <summary>Declares a problem response of this status with the codes this endpoint's own rules give for it.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, int status, params string[] codes) =>
        builder.ProducesProblem(status).WithMetadata(new ProblemCodesMetadata(status, codes));
}
