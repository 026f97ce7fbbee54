using System.Globalization;
using BenchmarkDotNet.Running;
using ClinicTracker.Bench;

// docs/performance.md shows each command with the figures it produced.
//   seed [directory] [plans]                     a SQLite clinic of N active plans (default 10,000) in directory/clinictracker.db
//   seed --provider sqlite|postgres --connection <sqlite folder | connection string> [--plans N] [--dose-sessions M]
//                                                the same clinic on either provider, plus M (default 2,000) oral-ketamine
//                                                sessions in progress for the dose-write workload (bench/scale-out.sh)
//   generate --provider sqlite|postgres --connection <sqlite folder | connection string> --size small|large
//            [--seed N] [--now 2026-11-27T12:00:00Z]
//                                                a realistic clinic group through the real migrations (ClinicGenerator):
//                                                small 10,000 patients / ~100,000 sessions, large 10,000 / ~1,000,000
//                                                sessions, ~1M doses, ~3M observations. Measured on this 2-core machine
//                                                (docs/performance.md, "Clinic-network scale"): small 20 s (SQLite) /
//                                                34-42 s (PostgreSQL), large 313 s / 239 s; see GenerateHelp below.
//   workload-ids --provider … --connection … --out <dir>
//                                                the ids, search prefixes and deep-history cursors of bench/run.sh
//   ids --provider … --connection … --out <dir>  the patient, plan and dose-session ids the HTTP workloads rotate over
//   counts --provider … --connection …           "doses=N audit=M": standing doses and audit rows
//   token issuer audience base64Key [user] [role] a bearer token the API started with that key accepts (1 hour)
//   anything else                                 BenchmarkDotNet (e.g. --filter '*'); seeds CLINICTRACKER_BENCH_DIR if empty
switch (args.FirstOrDefault())
{
    case "generate" or "workload-ids":
        if (Flags.Parse(args.Skip(1)) is not { } generateFlags || generateFlags.Target() is not { } generateTarget ||
            (args[0] == "generate" && GenerateSize.Parse(generateFlags.Value("size")) is null) ||
            (args[0] == "workload-ids" && generateFlags.Value("out") is null))
        {
            await Console.Error.WriteLineAsync(GenerateHelp.Text);
            return 2;
        }

        if (args[0] == "workload-ids")
        {
            await GeneratedDatabase.WriteIdsAsync(generateTarget, generateFlags.Value("out")!, Console.Out);
            return 0;
        }

        var now = generateFlags.Value("now") is { } nowText
            ? DateTime.Parse(nowText, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)
            : DateTime.UtcNow;
        await GeneratedDatabase.GenerateAsync(generateTarget, GenerateSize.Parse(generateFlags.Value("size"))!,
            generateFlags.Int("seed") ?? GenerateHelp.DefaultSeed, now, Console.Out);
        return 0;
    case "seed" or "ids" or "counts" when args.Skip(1).Any(a => a.StartsWith("--", StringComparison.Ordinal)):
        if (Flags.Parse(args.Skip(1)) is not { } flags || flags.Target() is not { } target)
        {
            await Console.Error.WriteLineAsync(
                "usage: seed --provider sqlite|postgres --connection <sqlite folder | connection string> [--plans N] [--dose-sessions M]\n" +
                "       ids  --provider sqlite|postgres --connection <…> --out <dir>\n" +
                "       counts --provider sqlite|postgres --connection <…>");
            return 2;
        }

        if (args[0] == "seed")
        {
            await BenchDatabase.SeedAsync(target, flags.Int("plans") ?? BenchDatabase.DefaultPlans,
                flags.Int("dose-sessions") ?? BenchDatabase.DefaultDoseSessions, DateTime.UtcNow, Console.Out);
            return 0;
        }

        if (args[0] == "counts")
        {
            var (doses, audit) = await BenchDatabase.CountsAsync(target);
            Console.WriteLine(FormattableString.Invariant($"doses={doses} audit={audit}"));
            return 0;
        }

        if (flags.Value("out") is not { } outDirectory)
        {
            await Console.Error.WriteLineAsync("ids needs --out <dir>");
            return 2;
        }

        await BenchDatabase.WriteIdsAsync(target, outDirectory, Console.Out);
        return 0;
    case "seed":
        var directory = args.Length > 1 ? args[1] : BenchClinic.Directory;
        var plans = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : BenchDatabase.DefaultPlans;
        await BenchDatabase.SeedAsync(directory, plans, DateTime.UtcNow, Console.Out);
        return 0;
    case "token" when args.Length >= 4:
        Console.WriteLine(BenchToken.Create(args[1], args[2], args[3], args.ElementAtOrDefault(4) ?? "bench.prescriber",
            args.ElementAtOrDefault(5) ?? "prescriber", DateTime.UtcNow));
        return 0;
    case "token":
        await Console.Error.WriteLineAsync("usage: token issuer audience base64Key [user] [role]");
        return 2;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(BenchDatabase).Assembly).Run(args);
        return 0;
}

/// <summary>`--name value` pairs of the seed and ids commands.</summary>
internal sealed class Flags
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    public static Flags? Parse(IEnumerable<string> args)
    {
        var flags = new Flags();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !e.MoveNext())
            {
                return null;
            }

            flags.values[name[2..]] = e.Current;
        }

        return flags;
    }

    public string? Value(string name) => values.GetValueOrDefault(name);

    public int? Int(string name) => Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;

    public BenchTarget? Target()
    {
        var provider = Value("provider") switch
        {
            "sqlite" => BenchProvider.Sqlite,
            "postgres" => BenchProvider.Postgres,
            _ => (BenchProvider?)null,
        };
        return provider is { } p && Value("connection") is { Length: > 0 } connection ? new BenchTarget(p, connection) : null;
    }
}

/// <summary>The usage of the generate command, with the run times measured on this machine.</summary>
internal static class GenerateHelp
{
    public const int DefaultSeed = 20261127;

    public const string Text =
        "usage: generate --provider sqlite|postgres --connection <sqlite folder | npgsql connection string> --size small|large\n" +
        "                [--seed N (default 20261127)] [--now <UTC instant> (default: now; the same seed and now give the same rows)]\n" +
        "       workload-ids --provider sqlite|postgres --connection <...> --out <dir>\n" +
        "small: 10,000 patients, ~100,000 sessions; large: 10,000 patients, ~1,000,000 sessions, ~1M doses, ~3M observations.\n" +
        "Both include 5 synthetic stress patients with 5,200 daily sessions each and 2,000 sessions in progress for the write workloads.\n" +
        "Measured run time on the 2-core benchmark machine (load average 15-27 from other work at the time):\n" +
        "  small: SQLite 20 s, PostgreSQL 34-42 s; large: SQLite 313 s, PostgreSQL 239 s (docs/performance.md).";
}
