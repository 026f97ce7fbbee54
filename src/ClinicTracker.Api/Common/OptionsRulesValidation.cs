using ClinicTracker.Core.Common;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Common;

/// <summary>
/// Checks a clinical options section when the API starts (with ValidateOnStart): e.g. a soft dose limit
/// above its hard limit stops the app with a message naming the setting, instead of guarding doses wrongly.
/// </summary>
public sealed class OptionsRulesValidation<TOptions> : IValidateOptions<TOptions>
    where TOptions : class, IValidatableOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
