using System.Diagnostics;
using OpenTelemetry;

namespace ClinicTracker.Api.Telemetry;

/// <summary>
/// The last line of defence between spans and an exporter (ADR 0022). Runs before any exporter and takes out what
/// can carry patient data whoever set it: the URL query (patient search sends names and MRNs in it), SQL text and
/// connection strings, and free-text status descriptions (they are exception messages). Exception events are made
/// PHI-free as they are recorded (<see cref="ExceptionRecorder"/>), since a span's events cannot be changed later.
/// </summary>
public sealed class PatientDataGuard : BaseProcessor<Activity>
{
    /// <summary>Tags no exported span keeps: their values are free text that may quote what a user typed or stored.</summary>
    public static readonly IReadOnlyList<string> DroppedTags =
    [
        "url.query", "url.full", "http.url", "http.target", "db.query.text", "db.statement", "db.connection_string",
        "exception.message", "exception.stacktrace", "otel.status_description",
    ];

    public override void OnEnd(Activity data)
    {
        foreach (var tag in DroppedTags)
        {
            if (data.GetTagItem(tag) is not null)
            {
                data.SetTag(tag, null);
            }
        }

        if (data.StatusDescription is not null)
        {
            // The code stays; the text (an exception's message, a server's error) goes.
            data.SetStatus(data.Status);
        }
    }

    /// <summary>
    /// Sees every exception recorded on any span (Activity.AddException: Npgsql on a failed command, ASP.NET Core
    /// when told to) before the event is made, and gives it the exception's type instead of its message and its
    /// frames instead of its ToString: an Npgsql or SQLite message can quote a value.
    /// </summary>
    public static void ExceptionRecorder(Activity activity, Exception exception, ref TagList tags)
    {
        var type = exception.GetType().FullName ?? exception.GetType().Name;
        tags.Add("exception.type", type);
        tags.Add("exception.message", type);
        tags.Add("exception.stacktrace", exception.StackTrace ?? "");
    }

    /// <summary>A listener that creates no spans; it only hands <see cref="ExceptionRecorder"/> every source's exceptions.</summary>
    internal static ActivityListener CreateListener()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
            ExceptionRecorder = ExceptionRecorder,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
