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
