using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ClinicTracker.Api.Tests.Infrastructure;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ClinicTracker.Api.Tests.Telemetry;

/// <summary>
/// A collector stand-in: accepts OTLP over HTTP (protobuf) on a loopback port and keeps every body by path.
/// Protobuf writes strings as raw UTF-8, so a search of the bytes finds any patient data that was sent.
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener listener = new();

    public OtlpReceiver()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Endpoint = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
        }

        listener.Prefixes.Add(Endpoint + "/");
        listener.Start();
        _ = Task.Run(ReceiveAsync);
    }

    public string Endpoint { get; }

    public ConcurrentQueue<(string Path, byte[] Body)> Received { get; } = new();

    private async Task ReceiveAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            Received.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public void Dispose() => listener.Close();
}

/// <summary>The API with <c>Telemetry:Otlp:Endpoint</c> pointing at an <see cref="OtlpReceiver"/> over http/protobuf.</summary>
public sealed class OtlpApiFactory : ClinicApiFactory
{
    public OtlpReceiver Receiver { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Telemetry:Otlp:Endpoint"] = Receiver.Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
    };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Receiver.Dispose();
    }
}

[Collection(TelemetryCollection.Name)]
public sealed class OtlpExportTests(OtlpApiFactory factory) : IClassFixture<OtlpApiFactory>
{
    [Fact]
    public async Task ConfiguredEndpoint_ReceivesTracesAndMetrics_WithoutTheSearchedName()
    {
        const string family = "Wrenbrooke";
        var frontDesk = factory.ClientFor("fd.otlp", "front-desk");
        await PatientData.Register(frontDesk, PatientData.NewPatient(given: "Odalys", family: family));
        await frontDesk.GetAsync($"/api/v1/patients?search={family}").EnsureStatus(HttpStatusCode.OK);

        // The batch span processor and the metric reader export on a flush; the SDK appends the signal paths.
        factory.Services.GetRequiredService<TracerProvider>().ForceFlush();
        factory.Services.GetRequiredService<MeterProvider>().ForceFlush();

        var received = factory.Receiver.Received.ToList();
        var traces = received.Where(r => r.Path == "/v1/traces").SelectMany(r => r.Body).ToArray();
        Assert.Contains("/api/v1/patients", Encoding.UTF8.GetString(traces), StringComparison.Ordinal);
        Assert.Contains(received, r => r.Path == "/v1/metrics");
        Assert.Contains("clinictracker-api", Encoding.UTF8.GetString(traces), StringComparison.Ordinal);
        Assert.All(received, r => Assert.DoesNotContain(family, Encoding.UTF8.GetString(r.Body), StringComparison.OrdinalIgnoreCase));
    }
}
