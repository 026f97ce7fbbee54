using System.Globalization;
using BenchmarkDotNet.Running;
using ClinicTracker.Bench;

// docs/performance.md shows each command with the figures it produced.
//   seed [directory] [plans]                     a clinic of N active plans (default 10,000) in directory/clinictracker.db
//   token issuer audience base64Key [user] [role] a bearer token the API started with that key accepts (1 hour)
//   anything else                                 BenchmarkDotNet (e.g. --filter '*'); seeds CLINICTRACKER_BENCH_DIR if empty
switch (args.FirstOrDefault())
{
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
