using System.Text.RegularExpressions;

namespace ClinicTracker.Api.Tests.Docs;

/// <summary>
/// The walk-throughs of docs/api.md are meant to be replayed, each on its own, against a fresh database:
/// every shell variable one uses is set in it, and no two register the same MRN (a replay would get 409).
/// </summary>
public sealed partial class WalkthroughTests
{
    public static TheoryData<string> Walkthroughs() => [.. Sections().Select(s => s.Heading)];

    [Theory]
    [MemberData(nameof(Walkthroughs))]
    public void EveryVariableAWalkthroughUses_IsSetInIt(string heading)
    {
        var code = ShellCode(Sections().Single(s => s.Heading == heading).Body);
        var defined = Definition().Matches(code).Select(m => m.Groups[1].Value)
            .Concat(Function().Matches(code).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);

        var undefined = Use().Matches(code).Select(m => m.Groups[1].Value).Where(v => !defined.Contains(v)).Distinct().Order(StringComparer.Ordinal);

        Assert.Empty(undefined);
    }

    [Fact]
    public void NoTwoWalkthroughsRegisterTheSameMrn()
    {
        var mrns = Sections().SelectMany(s => Mrn().Matches(ShellCode(s.Body)).Select(m => (m.Value, s.Heading)).Distinct()).ToList();

        Assert.NotEmpty(mrns);
        Assert.Empty(mrns.GroupBy(m => m.Value).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(" / ", g.Select(m => m.Heading))}"));
    }

    private static string ShellCode(string body) => string.Join('\n', ShellBlock().Matches(body).Select(m => m.Groups[1].Value));

    /// <summary>Each "Walk-through" heading of docs/api.md with the text up to the next heading of its level or above.</summary>
    private static IReadOnlyList<(string Heading, string Body)> Sections()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "api.md"));
        // Headings outside code blocks only: a shell comment ("# …") inside a block is not one.
        var fences = Fence().Matches(text).Select(m => m.Index).ToList();
        bool InCode(int index) => fences.Count(f => f < index) % 2 == 1;
        var headings = Heading().Matches(text).Where(h => !InCode(h.Index)).ToList();
        var sections = new List<(string, string)>();
        for (var i = 0; i < headings.Count; i++)
        {
            var heading = headings[i];
            if (!heading.Value.Contains("Walk-through", StringComparison.Ordinal))
            {
                continue;
            }

            var level = heading.Groups[1].Length;
            var end = headings.Skip(i + 1).FirstOrDefault(h => h.Groups[1].Length <= level)?.Index ?? text.Length;
            sections.Add((heading.Value.TrimStart('#', ' '), text[heading.Index..end]));
        }

        Assert.NotEmpty(sections);
        return sections;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ClinicTracker.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ClinicTracker.sln not found above the test directory.");
    }

    [GeneratedRegex(@"^(#+) .*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^```", RegexOptions.Multiline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [GeneratedRegex(@"^\s*([A-Z][A-Z0-9_]*)=", RegexOptions.Multiline)]
    private static partial Regex Definition();

    [GeneratedRegex(@"\b([a-z_]+)\(\)\s*\{")]
    private static partial Regex Function();

    [GeneratedRegex(@"\$\{?([A-Z][A-Z0-9_]*)")]
    private static partial Regex Use();

    [GeneratedRegex(@"MRN-\d+")]
    private static partial Regex Mrn();
}
