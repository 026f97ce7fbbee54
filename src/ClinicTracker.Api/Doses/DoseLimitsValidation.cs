using ClinicTracker.Core.Dosing;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Doses;

/// <summary>
/// Checks the <c>DoseLimits</c> section when the API starts (ValidateOnStart): a soft limit above its
/// hard limit stops the app with a message naming the setting, instead of guarding doses wrongly.
/// </summary>
public sealed class DoseLimitsValidation : IValidateOptions<DoseLimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, DoseLimitsOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
