using System.Diagnostics;
using System.Globalization;
using System.Net;
using ClinicTracker.Api.Telemetry;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Api.Tests.Outcomes;
using OpenTelemetry.Metrics;

namespace ClinicTracker.Api.Tests.Telemetry;

/// <summary>
/// docs/integrators.md, Telemetry, ADR 0022: one clinic visit through the API, then everything the exporters received. Spans
/// and metrics say what happened — routes, commands, counts, codes — and nothing says who it happened to.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests(TelemetryApiFactory factory) : IClassFixture<TelemetryApiFactory>
{
    // A patient no other test uses, so any of these strings in telemetry can only have come from this scenario.
    private const string Given = "Zephyrine";
    private const string Family = "Quillfeather";
    private static readonly DateOnly Birth = new(1984, 3, 7);

    [Fact]
    public async Task ClinicVisit_ExportsRequestAndDatabaseSpansAndMetrics_WithoutPatientData()
    {
        var mrn = Http.Unique("TELMRN");
        var data = new TreatmentData(factory);
        var patientId = (await PatientData.Register(data.FrontDesk,
            PatientData.NewPatient(mrn, Given, Family, Birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))))["id"]!.GetValue<Guid>();
        // Searches put the name and the MRN in the query string (GET /api/v1/patients?search=…).
        await data.FrontDesk.GetAsync($"/api/v1/patients?search={Family}").EnsureStatus(HttpStatusCode.OK);
        await data.FrontDesk.GetAsync($"/api/v1/patients?search={Uri.EscapeDataString(mrn)}").EnsureStatus(HttpStatusCode.OK);
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        var sessionId = await data.Session(patientId, planId);
        await data.CheckIn(sessionId, weightKg: 70m);
        // 70 kg: 35 mg is 0.5 mg/kg; 40 mg more is 75 mg = 1.07 mg/kg over the 24 hours, above the 1.0 mg/kg hard limit.
        await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created);
        await data.Dose(data.Prescriber, sessionId, TreatmentData.Iv(40m, startMinutesAfterCheckIn: 60,
            overrideReason: "Partial response", acceptedWarnings: ["iv.above-usual-mg-per-kg"])).EnsureStatus(HttpStatusCode.UnprocessableEntity);
        // domain.md §7: PHQ-9 item 9 above 0 opens a safety flag.
        await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(12, item9: 1), DateTimeOffset.UtcNow.AddMinutes(-5));
        await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/sessions").EnsureStatus(HttpStatusCode.OK);
        await data.Nurse.GetAsync($"/api/v1/patients/{patientId}").EnsureStatus(HttpStatusCode.OK);

        factory.Flush();
        var spans = factory.Spans.Snapshot();
        var metrics = factory.Metrics.Snapshot();

        // Request spans name the route template, never the path's ids or the query.
        var routes = spans.Where(s => s.Kind == ActivityKind.Server).Select(s => s.GetTagItem("http.route") as string).ToHashSet();
        Assert.Contains("/api/v1/patients", routes);
        Assert.Contains("/api/v1/patients/{id:guid}", routes);
        Assert.Contains("/api/v1/sessions/{sessionId:guid}/doses", routes);
        Assert.Contains("/api/v1/patients/{patientId:guid}/assessments", routes);
        Assert.Contains("/api/v1/patients/{patientId:guid}/sessions", routes);
        Assert.DoesNotContain(spans, s => s.GetTagItem("url.query") is not null);

        // Database spans on either provider: system, verb and table; on PostgreSQL also Npgsql's, under them.
        var commands = spans.Where(s => s.Source.Name == DatabaseCommandSpans.SourceName).ToList();
        var system = TestProvider.IsPostgres ? "postgresql" : "sqlite";
        Assert.Contains(commands, s => s.DisplayName == "SELECT patients" && (string?)s.GetTagItem("db.system.name") == system);
        Assert.Contains(commands, s => (string?)s.GetTagItem("db.operation.name") == "INSERT" && (string?)s.GetTagItem("db.collection.name") == "dose_entries");
        Assert.All(commands, s => Assert.Equal(ActivityKind.Client, s.Kind));
        if (TestProvider.IsPostgres)
        {
            Assert.Contains(spans, s => s.Source.Name == "Npgsql");
        }

        Assert.Contains(spans, s => s.Source.Name == ClinicTelemetry.Name && s.DisplayName == "audit.batch append");

        // Metrics: one dose, one hard-limit refusal naming its limit, one flag, audit batches, ASP.NET Core's own.
        Assert.Equal(1, Sum(metrics, "clinictracker.doses.recorded", ("medication", "ketamine"), ("route", "intravenous")));
        Assert.Equal(1, Sum(metrics, "clinictracker.dose_limit.refusals", ("code", "dose.hard-limit"), ("limit", "iv.max-mg-per-kg")));
        Assert.Equal(1, Sum(metrics, "clinictracker.safety_flags.opened"));
        var batches = Latest(metrics, "clinictracker.audit.batch_size");
        Assert.True(batches.Sum(p => p.GetHistogramCount()) > 0, "No audit batch was measured.");
        Assert.Contains(Latest(metrics, "http.server.request.duration"), p => Tag(p, "http.route") == "/api/v1/patients");
        Assert.NotEmpty(Latest(metrics, "http.server.active_requests"));

        // Nothing anywhere names the patient: every span's name, tags, events, links and status, every metric point's tags.
        var leaks = Everything(spans, metrics).Where(s => Phi(mrn).Any(p => s.Contains(p, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, "Patient data in telemetry:\n" + string.Join("\n", leaks.Distinct().Take(20)));
    }

    [Fact]
    public void RecordedException_CarriesItsTypeAndFrames_NotItsMessage()
    {
        _ = factory.Services; // the API has started, and with it the guard on recorded exceptions
        using var source = new ActivitySource("ClinicTracker.Tests.Exceptions");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var activity = source.StartActivity("failing")!;

        // As Npgsql does on a failed command: Activity.AddException with an exception whose message quotes a value.
        activity.AddException(new InvalidOperationException($"Key (family_name)=({Family}) already exists."));

        var exception = Assert.Single(activity.Events, e => e.Name == "exception");
        var tags = exception.Tags.ToDictionary(t => t.Key, t => Text(t.Value));
        Assert.Equal(typeof(InvalidOperationException).FullName, tags["exception.type"]);
        Assert.DoesNotContain(tags.Values, v => v.Contains(Family, StringComparison.Ordinal));
    }

    /// <summary>The patient's name, MRN and birth date as telemetry might spell them.</summary>
    private static IEnumerable<string> Phi(string mrn) =>
    [
        Given, Family, mrn, mrn.Replace("-", "", StringComparison.Ordinal),
        .. new[] { "yyyy-MM-dd", "dd/MM/yyyy", "MM/dd/yyyy", "yyyyMMdd", "yyyy/MM/dd", "dd.MM.yyyy" }
            .Select(f => Birth.ToString(f, CultureInfo.InvariantCulture)),
    ];

    /// <summary>Every string an exporter would send, each prefixed with where it comes from for the failure message.</summary>
    private static IEnumerable<string> Everything(IReadOnlyList<Activity> spans, IReadOnlyList<MetricSnapshot> metrics)
    {
        foreach (var span in spans)
        {
            var at = $"span {span.Source.Name} '{span.DisplayName}'";
            yield return $"{at} name {span.DisplayName} {span.OperationName}";
            yield return $"{at} status {span.StatusDescription}";
            foreach (var (key, value) in span.TagObjects)
            {
                yield return $"{at} tag {key}={Text(value)}";
            }

            foreach (var (key, value) in span.Baggage)
            {
                yield return $"{at} baggage {key}={value}";
            }

            foreach (var e in span.Events)
            {
                yield return $"{at} event {e.Name}";
                foreach (var (key, value) in e.Tags)
                {
                    yield return $"{at} event {e.Name} {key}={Text(value)}";
                }
            }

            foreach (var link in span.Links)
            {
                foreach (var (key, value) in link.Tags ?? [])
                {
                    yield return $"{at} link {key}={Text(value)}";
                }
            }
        }

        foreach (var metric in metrics)
        {
            yield return $"metric {metric.Name} {metric.Description} {metric.Unit}";
            foreach (var point in metric.MetricPoints)
            {
                foreach (var (key, value) in point.Tags)
                {
                    yield return $"metric {metric.Name} tag {key}={Text(value)}";
                }
            }
        }
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        System.Collections.IEnumerable many => string.Join(",", many.Cast<object?>().Select(Text)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>The last collection's points of a metric (cumulative: totals since the API started).</summary>
    private static IReadOnlyList<MetricPoint> Latest(IReadOnlyList<MetricSnapshot> metrics, string name) =>
        metrics.LastOrDefault(m => m.Name == name)?.MetricPoints ?? [];

    private static long Sum(IReadOnlyList<MetricSnapshot> metrics, string name, params (string Key, string Value)[] tags) =>
        Latest(metrics, name).Where(p => tags.All(t => Tag(p, t.Key) == t.Value)).Sum(p => p.GetSumLong());

    private static string? Tag(MetricPoint point, string key)
    {
        foreach (var (k, v) in point.Tags)
        {
            if (k == key)
            {
                return v?.ToString();
            }
        }

        return null;
    }
}
