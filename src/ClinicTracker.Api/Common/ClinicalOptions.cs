using ClinicTracker.Core.Common;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Common;

/// <summary>
/// The clinical options sections (dose limits, monitoring, adherence, outcomes): bound from configuration
/// and checked before the API does anything else, the migration included. A soft dose limit above its hard
/// limit, say, stops the app with a message naming the setting instead of guarding doses wrongly.
/// </summary>
public static class ClinicalOptions
{
    public static IServiceCollection AddClinicalOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class, IValidatableOptions
    {
        services.AddOptions<TOptions>().BindConfiguration(section);
        services.AddSingleton<IValidateOptions<TOptions>, RulesValidation<TOptions>>();
        services.AddSingleton(new StartupCheck(sp => _ = sp.GetRequiredService<IOptions<TOptions>>().Value));
        return services;
    }

    /// <summary>Reads every clinical section once; an invalid one throws <see cref="OptionsValidationException"/>.</summary>
    public static void CheckAll(IServiceProvider services)
    {
        foreach (var check in services.GetServices<StartupCheck>())
        {
            check.Run(services);
        }
    }

    public sealed record StartupCheck(Action<IServiceProvider> Run);

    private sealed class RulesValidation<TOptions> : IValidateOptions<TOptions>
        where TOptions : class, IValidatableOptions
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var problems = options.Validate();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
