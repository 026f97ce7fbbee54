using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace ClinicTracker.Api.Tests.Infrastructure;

/// <summary>
/// The API as a real process of its own (<c>dotnet ClinicTracker.Api.dll --urls http://127.0.0.1:0</c>) on a test
/// database, for what WebApplicationFactory cannot show: two instances on one database, and a process killed in
/// the middle of its work. Tokens are the tests' own (<see cref="TestTokens"/>), checked as in production; the
/// per-user rate limit is lifted so concurrent load is not answered 429. Its console output is kept for failure
/// messages (<see cref="Output"/>).
/// </summary>
public sealed partial class ApiProcess : IAsyncDisposable
{
    private const int KeptLines = 2000;
    private const int OutputLines = 40;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SocketsHttpHandler handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };

    private ApiProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
    }

    /// <summary>A label for failure messages ("A", "B", "after restart 2").</summary>
    public string Name { get; }

    /// <summary>Where the process listens, once started.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>
    /// Starts the API on <paramref name="database"/> and returns once <c>/health/ready</c> answers 200. With
    /// <paramref name="migrate"/> false the process does not migrate on start (<c>Database:MigrateOnStartup=false</c>),
    /// as a second instance started after the first has migrated.
    /// </summary>
    public static async Task<ApiProcess> StartAsync(string name, TestDatabase database, bool migrate = true)
    {
        var api = Launch(name, database, migrate);
        try
        {
            await api.WaitUntilReadyAsync();
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }

        return api;
    }

    /// <summary>Starts the process and returns at once; <see cref="WaitUntilListeningAsync"/> and <see cref="WaitUntilReadyAsync"/> follow it.</summary>
    public static ApiProcess Launch(string name, TestDatabase database, bool migrate = true)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ClinicTracker.Api.dll"), "--urls", "http://127.0.0.1:0"])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in EnvironmentFor(database, migrate))
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var api = new ApiProcess(name, process);
        process.OutputDataReceived += (_, e) => api.Keep(e.Data, "out");
        process.ErrorDataReceived += (_, e) => api.Keep(e.Data, "err");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return api;
    }

    /// <summary>The environment of an API process on this database; a null value removes a variable the test host has.</summary>
    public static IReadOnlyDictionary<string, string?> EnvironmentFor(TestDatabase database, bool migrate)
    {
        var environment = TestDatabase.AsEnvironment(database.Settings.Concat(TestTokens.HostSettings));
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ASPNETCORE_URLS"] = null,
            // These tests send hundreds of requests as one user within seconds.
            ["Security__PermitsPerWindow"] = "1000000",
            ["Database__MigrateOnStartup"] = migrate ? "true" : "false",
            // One line per log entry keeps the kept tail readable; the per-request lines are not needed here.
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__LogLevel__ClinicTracker.Requests"] = "Warning",
        })
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>A client of this process whose requests carry a freshly signed token for this user and roles.</summary>
    public HttpClient ClientFor(string userName, params string[] roles)
    {
        var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Create(userName, roles));
        return client;
    }

    /// <summary>
    /// Puts users in the staff register as an admin does, over HTTP (domain.md §9: the register is the ceiling;
    /// an admin's role comes from the token alone). Registering a user who is already there is a 409, ignored.
    /// </summary>
    public async Task RegisterStaffAsync(params (string UserName, string Role)[] staff)
    {
        using var admin = ClientFor("scale.admin", "admin");
        foreach (var (userName, role) in staff)
        {
            var response = await admin.PostAsJsonAsync("/api/v1/clinicians", new { userName, displayName = userName, role });
            if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
            {
                Assert.Fail($"Registering {userName} as {role} on {Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{Output}");
            }
        }
    }

    /// <summary>kill -9 of the process (and anything it started): no shutdown, no flushing, requests cut mid-flight.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    /// <summary>A graceful stop (SIGTERM: the host drains requests), then a kill after 15 seconds.</summary>
    public async Task StopAsync()
    {
        if (process.HasExited)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            await KillAsync();
            return;
        }

        using (var term = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        })!)
        {
            await term.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    /// <summary>The last lines the process wrote (stdout and stderr), with its name and state, for a failure message.</summary>
    public string Output
    {
        get
        {
            var state = process.HasExited ? $"exited with {process.ExitCode}" : "running";
            // Stack frames left out and lines cut short (one log entry, exception included, is one line): the messages,
            // SQL states and trace ids are what a failure needs.
            var kept = lines.Where(l => l[6..].TrimStart() is { Length: > 0 } text && !text.StartsWith("at ", StringComparison.Ordinal))
                .TakeLast(OutputLines).Select(l => l.Length > 400 ? l[..400] + " …" : l);
            return $"--- API process {Name} (pid {process.Id}, {state}), last output without stack frames:\n{string.Join('\n', kept)}\n--- end of {Name}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        process.Dispose();
        handler.Dispose();
    }

    /// <summary>
    /// Returns once Kestrel listens: the start-up migration, which runs before the host starts, is then done, so
    /// a second instance may be launched without migrations.
    /// </summary>
    public async Task WaitUntilListeningAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var exited = process.WaitForExitAsync(timeout.Token);
        if (await Task.WhenAny(listening.Task, exited) != listening.Task)
        {
            throw new InvalidOperationException($"API process {Name} did not start listening within {StartTimeout.TotalSeconds} s.\n{Output}");
        }

        BaseAddress = await listening.Task;
    }

    /// <summary>Returns once <c>/health/ready</c> answers 200 (the database is reachable and fully migrated).</summary>
    public async Task WaitUntilReadyAsync()
    {
        await WaitUntilListeningAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        using var probe = new HttpClient(handler, disposeHandler: false) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"API process {Name} exited before it was ready.\n{Output}");
            }

            try
            {
                if ((await probe.GetAsync("/health/ready", timeout.Token)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not accepting connections yet.
            }
            catch (OperationCanceledException)
            {
                throw new InvalidOperationException($"API process {Name} was not ready within {StartTimeout.TotalSeconds} s.\n{Output}");
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    private void Keep(string? line, string stream)
    {
        if (line is null)
        {
            return;
        }

        if (!listening.Task.IsCompleted && ListeningOn().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(new Uri(match.Groups["url"].Value));
        }

        lines.Enqueue($"[{stream}] {line}");
        while (lines.Count > KeptLines && lines.TryDequeue(out _))
        {
        }
    }

    // Kestrel logs the port it bound for --urls http://127.0.0.1:0: "Now listening on: http://127.0.0.1:41235".
    [GeneratedRegex(@"Now listening on: (?<url>http://\S+)")]
    private static partial Regex ListeningOn();
}
