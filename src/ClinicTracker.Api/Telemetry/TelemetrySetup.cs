using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ClinicTracker.Api.Telemetry;

/// <summary>
/// Tracing and metrics (docs/integrators.md, Telemetry): always registered, exported over OTLP only when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>Telemetry:Otlp:Endpoint</c> is set. Nothing here reads a request body.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>The standard variable; the SDK also reads OTEL_EXPORTER_OTLP_PROTOCOL, _HEADERS, _TIMEOUT beside it.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The same endpoint in appsettings form, for installs that configure through files.</summary>
    public const string OtlpEndpointKey = "Telemetry:Otlp:Endpoint";

    /// <summary>ASP.NET Core's own meter: http.server.request.duration and http.server.active_requests.</summary>
    public const string HostingMeter = "Microsoft.AspNetCore.Hosting";

    private static readonly Lazy<System.Diagnostics.ActivityListener> ExceptionGuard = new(PatientDataGuard.CreateListener);

    public static IServiceCollection AddClinicTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        _ = ExceptionGuard.Value;
        services.AddSingleton<IInterceptor, DatabaseCommandSpans>();
        var explicitEndpoint = string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]) ? configuration[OtlpEndpointKey] : null;
        var exports = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]) || !string.IsNullOrWhiteSpace(explicitEndpoint);
        var serviceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : ClinicTelemetry.ServiceName;

        services.AddOpenTelemetry()
            // service.instance.id: a new GUID per process, so two instances behind one load balancer are told apart.
            .ConfigureResource(r => r.AddService(serviceName, autoGenerateServiceInstanceId: true))
            .WithTracing(tracing =>
            {
                tracing.AddSource(ClinicTelemetry.Name, DatabaseCommandSpans.SourceName)
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        // http.route is the template (/api/v1/patients/{id:guid}); the query string is never kept,
                        // whatever OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION says.
                        o.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
                        o.RecordException = false;
                    })
                    .AddNpgsql()
                    .AddProcessor(new PatientDataGuard());
                if (exports)
                {
                    tracing.AddOtlpExporter(o => Apply(o, explicitEndpoint, "v1/traces"));
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ClinicTelemetry.Name, HostingMeter);
                if (exports)
                {
                    metrics.AddOtlpExporter(o => Apply(o, explicitEndpoint, "v1/metrics"));
                }
            });
        return services;
    }

    /// <summary>
    /// <c>Telemetry:Otlp:Endpoint</c> is a base address like OTEL_EXPORTER_OTLP_ENDPOINT: over http/protobuf the
    /// signal's path is appended, as the SDK does for the variable. The variable, when set, is left to the SDK.
    /// </summary>
    private static void Apply(OtlpExporterOptions options, string? endpoint, string signalPath)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return;
        }

        var baseUri = new Uri(endpoint.TrimEnd('/') + "/");
        options.Endpoint = options.Protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(baseUri, signalPath) : new Uri(endpoint);
    }
}
