using System.Diagnostics;
using System.Net;
using ClinicTracker.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ClinicTracker.Api.Tests.Reports;

/// <summary>
/// The outcomes chart as a browser shows it: the SVG the API returns, opened on its own in headless Chromium (no CSS, no
/// page around it), screenshotted and decoded. A chart that renders nothing (an error page, a blank SVG, bars drawn
/// outside the view box) fails; the second test shows the check does fail on an empty SVG.
/// </summary>
/// <remarks>
/// Chromium: <c>CLINICTRACKER_CHROMIUM</c> or /usr/bin/chromium. Without it the tests are skipped, saying why, unless
/// <c>CLINICTRACKER_REQUIRE_CHROMIUM=1</c> (CI), where they fail. Screenshots are kept; their paths are in the test output.
/// </remarks>
public sealed class OutcomesChartScreenshotTests(ClinicApiFactory factory, ITestOutputHelper output) : IClassFixture<ClinicApiFactory>
{
    [ChromiumFact]
    public async Task Chart_InHeadlessChromium_ShowsBarsTextAndTheSeriesColours()
    {
        // One IV plan at a site of its own: PHQ-9 20 → 10 (≤ 10: response, not remission), MADRS 30 → 10 (response and remission).
        var admin = factory.ClientFor("admin.lee", "admin");
        var c = await OutcomesClinic.Create(factory, admin);
        var (patient, plan) = await c.Plan("ketamine", "intravenous", "2026-01-05", 1);
        await c.Iv(patient, plan, "2026-01-05", 35m);
        await c.Phq9(patient, "2026-01-02", 20);
        await c.Phq9(patient, "2026-01-12", 10);
        await c.Madrs(patient, "2026-01-02", 30);
        await c.Madrs(patient, "2026-01-12", 10);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/outcomes");
        request.Headers.Accept.ParseAdd("image/svg+xml");
        var svg = await (await c.Prescriber.SendAsync(request).EnsureStatus(HttpStatusCode.OK)).Content.ReadAsStringAsync();
        var height = int.Parse(System.Xml.Linq.XDocument.Parse(svg).Root!.Attribute("height")!.Value, System.Globalization.CultureInfo.InvariantCulture);

        var png = await Screenshot(svg, 960, height);

        var share = (double)png.NonWhitePixels() / (png.Width * png.Height);
        output.WriteLine($"non-white pixels {png.NonWhitePixels()} ({share:P1}), distinct colours {png.DistinctColours()}");
        Assert.True(share > 0.02, $"Only {share:P2} of the screenshot is not white: the chart did not render.");
        Assert.True(png.DistinctColours() >= 8, $"{png.DistinctColours()} distinct colours: text and bars did not render.");
        // Every series has a bar at 100 % here (rate 1 → 160 px × 20 px per panel: 4 panels): each colour is on screen.
        foreach (var colour in new[] { "#1f4e9c", "#b3400f", "#f4a261" })
        {
            Assert.True(png.PixelsOf(colour) > 1000, $"The bars of colour {colour} are not on the screenshot ({png.PixelsOf(colour)} pixels).");
        }

        // PHQ-9 remission is 0 % (10 is not < 5): no bar of its colour beyond the legend's 14 × 14 swatch.
        Assert.True(png.PixelsOf("#7fb2e5") <= 14 * 14, $"{png.PixelsOf("#7fb2e5")} pixels of the PHQ-9 remission colour for a 0 % bar.");
    }

    [ChromiumFact]
    public async Task BlankCheck_FailsOnAnEmptySvg()
    {
        // The same checks on an SVG of the same size that draws nothing: the screenshot is all white, so they would fail.
        var png = await Screenshot("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"960\" height=\"600\" viewBox=\"0 0 960 600\"></svg>", 960, 600);

        Assert.Equal(0, png.NonWhitePixels());
        Assert.True(png.DistinctColours() < 8);
    }

    private async Task<Png> Screenshot(string svg, int width, int height)
    {
        var chromium = ChromiumFactAttribute.Executable ?? throw new InvalidOperationException(
            $"Chromium is required ({ChromiumFactAttribute.RequireVariable}=1) but neither {ChromiumFactAttribute.PathVariable} nor /usr/bin/chromium exists.");
        var dir = Directory.CreateTempSubdirectory("clinictracker-outcomes-chart-").FullName;
        var file = Path.Combine(dir, "chart.svg");
        var shot = Path.Combine(dir, "chart.png");
        await File.WriteAllTextAsync(file, svg);
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // docs: /work/shared/toolchain.md — a private profile, and no network or background work from the browser.
        foreach (var arg in new[]
        {
            "--headless", "--disable-gpu", "--no-sandbox", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--user-data-dir={Path.Combine(dir, "profile")}",
            $"--screenshot={shot}", $"--window-size={width},{height}", new Uri(file).AbsoluteUri,
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Chromium did not finish the screenshot of {file} in 90 s.");
        }

        output.WriteLine($"screenshot: {shot} (from {file})");
        Assert.True(File.Exists(shot), $"Chromium wrote no screenshot (exit {process.ExitCode}): {await stderr}");
        return Png.Read(await File.ReadAllBytesAsync(shot));
    }
}

/// <summary>
/// A test that needs headless Chromium: skipped with the reason when it is missing, unless
/// <c>CLINICTRACKER_REQUIRE_CHROMIUM=1</c>, where it runs and fails. In the PostgreSQL assembly it also needs the server.
/// </summary>
public sealed class ChromiumFactAttribute : Xunit.FactAttribute
{
    public const string PathVariable = "CLINICTRACKER_CHROMIUM";

    public const string RequireVariable = "CLINICTRACKER_REQUIRE_CHROMIUM";

    public ChromiumFactAttribute()
    {
#if POSTGRES
        Skip ??= PostgresServerRequired.SkipReason;
#endif
        if (Executable is null && Environment.GetEnvironmentVariable(RequireVariable) != "1")
        {
            Skip ??= $"No Chromium: install it (apt-get install chromium) or set {PathVariable}; set {RequireVariable}=1 to fail instead of skipping.";
        }
    }

    /// <summary>The Chromium to run, or null when there is none.</summary>
    public static string? Executable =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? (File.Exists(path) ? path : null)
        : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null;
}
