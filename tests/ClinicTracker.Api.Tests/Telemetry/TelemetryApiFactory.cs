using System.Collections;
using System.Diagnostics;
using ClinicTracker.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ClinicTracker.Api.Tests.Telemetry;

/// <summary>
/// The telemetry tests run alone, after the rest of the suite: spans and meters are process-wide, so another test
/// class's requests would land in this one's exporters (and its doses in its counters).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}

/// <summary>
/// The API as configured in production plus in-memory exporters for spans and metric points, read after a flush.
/// The SDK's own query-string redaction is switched off, so what keeps search terms out is ClinicTracker's code.
/// </summary>
public sealed class TelemetryApiFactory : ClinicApiFactory
{
    public LockedList<Activity> Spans { get; } = new();

    public LockedList<MetricSnapshot> Metrics { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION"] = "true",
    };

    /// <summary>Exports every finished span and collects every instrument now.</summary>
    public void Flush()
    {
        Services.GetRequiredService<TracerProvider>().ForceFlush();
        Services.GetRequiredService<MeterProvider>().ForceFlush();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Metrics));
        });
    }
}

/// <summary>A list the exporters add to from the server's threads while the test reads a copy.</summary>
public sealed class LockedList<T> : ICollection<T>
{
    private readonly List<T> items = [];

    public int Count
    {
        get
        {
            lock (items)
            {
                return items.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public IReadOnlyList<T> Snapshot()
    {
        lock (items)
        {
            return [.. items];
        }
    }

    public void Add(T item)
    {
        lock (items)
        {
            items.Add(item);
        }
    }

    public void Clear()
    {
        lock (items)
        {
            items.Clear();
        }
    }

    public bool Contains(T item)
    {
        lock (items)
        {
            return items.Contains(item);
        }
    }

    public void CopyTo(T[] array, int arrayIndex)
    {
        lock (items)
        {
            items.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(T item)
    {
        lock (items)
        {
            return items.Remove(item);
        }
    }

    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
