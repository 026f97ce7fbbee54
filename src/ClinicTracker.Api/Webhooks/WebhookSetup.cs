using ClinicTracker.Api.Common;

namespace ClinicTracker.Api.Webhooks;

/// <summary>The webhook services (ADR 0021): options, URL policy, the signing sender and its HttpClient, and the two background services.</summary>
public static class WebhookSetup
{
    public static IServiceCollection AddClinicWebhooks(this IServiceCollection services)
    {
        services.AddClinicalOptions<WebhookOptions>(WebhookOptions.Section);
        services.AddSingleton<WebhookUrlPolicy>();
        services.AddSingleton<WebhookSender>();
        services.AddHttpClient(WebhookSender.ClientName)
            // The sender's own timeout (Webhooks:TimeoutSeconds) bounds each attempt.
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan)
            // The factory's request logging writes the whole URL, and an integrator's URL may carry its own token.
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var policy = sp.GetRequiredService<WebhookUrlPolicy>();
                return new SocketsHttpHandler
                {
                    // A redirect could lead anywhere the policy refuses: a 3xx is a failed attempt, not followed.
                    AllowAutoRedirect = false,
                    // Through a proxy the policy would judge the proxy's address, not the receiver's.
                    UseProxy = false,
                    UseCookies = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectCallback = (context, ct) => WebhookSender.ConnectAsync(policy, context, ct),
                };
            });
        services.AddSingleton<WebhookDeliveryWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDeliveryWorker>());
        services.AddSingleton<MissedSessionScan>();
        services.AddHostedService(sp => sp.GetRequiredService<MissedSessionScan>());
        return services;
    }
}
