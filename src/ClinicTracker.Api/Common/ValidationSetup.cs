using System.Text.Json;
using FluentValidation;

namespace ClinicTracker.Api.Common;

/// <summary>Global FluentValidation settings: error keys and messages use the JSON (camelCase) field names.</summary>
public static class ValidationSetup
{
    public static void Configure()
    {
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        // One message per field: a missing value is reported as missing, not also as out of range.
        ValidatorOptions.Global.DefaultRuleLevelCascadeMode = CascadeMode.Stop;
    }
}

/// <summary>Rules shared by the request validators.</summary>
public static class CommonRules
{
    /// <summary>Clocks of clinic devices drift; an instant up to this far ahead of the server still counts as "now".</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    /// <summary>Times recorded in the clinic may lie in the past (catch-up, downtime) but never in the future (api-outline.md).</summary>
    public static IRuleBuilderOptions<T, DateTimeOffset?> NotInFuture<T>(this IRuleBuilder<T, DateTimeOffset?> rule, TimeProvider clock) =>
        rule.Must(v => v is null || v <= clock.GetUtcNow() + ClockSkew).WithMessage("'{PropertyName}' cannot be in the future.");

    /// <summary>An amount in mg: positive, at most 2 decimals (domain.md §3), and below an absurd ceiling.</summary>
    public static IRuleBuilderOptions<T, decimal?> Milligrams<T>(this IRuleBuilder<T, decimal?> rule) =>
        rule.GreaterThan(0).LessThanOrEqualTo(10_000)
            .Must(v => v is null || Core.Common.Amounts.HasAtMostTwoDecimals(v.Value))
            .WithMessage("'{PropertyName}' has at most 2 decimals.");
}
