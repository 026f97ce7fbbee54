using System.Net;
using System.Text;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Api.Tests.Stock;
using static ClinicTracker.Api.Tests.ScaleOut.ScaleOutRequests;

namespace ClinicTracker.Api.Tests.ScaleOut;

/// <summary>
/// An API process killed (kill -9) while hundreds of keyed writes are in flight, then started again on the same
/// database, as a power cut or an OOM kill would leave it. What a client was told must hold (domain.md §8): every
/// write acknowledged before the kill is there, and every write the kill cut off, retried with its own
/// Idempotency-Key as api.md tells a client to, ends as exactly one record and a 201 (first run or replay).
/// </summary>
[Collection(ApiProcessCollection.Name)]
public sealed class CrashSafetyTests
{
    private const int Sessions = 20;
    private const int DosesPerSessionAndRound = 5;
    private const int PatientsPerRound = 120;
    private const int Clients = 96;

    // The kill lands after this share of the round's writes has been answered.
    private static readonly double[] KillAfterAnswered = [0.3, 0.5, 0.2, 0.4];

    private sealed record Write(string Kind, string Path, object Body, string Key, string Describes)
    {
        public Answer? FirstAnswer { get; set; }

        public Answer? Final { get; set; }
    }

    [Fact]
    public async Task KilledMidFlight_AcknowledgedWritesAreKept_AndCutWritesRetriedWithTheirKeyEndAsOneRecord()
    {
        using var database = TestDatabase.Create();
        var api = await ApiProcess.StartAsync("first start", database);
        var everyProcess = new List<ApiProcess> { api };
        try
        {
            await WithOutputOnFailure(() => Run(database, everyProcess), everyProcess);
        }
        finally
        {
            foreach (var process in everyProcess)
            {
                await process.DisposeAsync();
            }
        }
    }

    private static async Task Run(TestDatabase database, List<ApiProcess> processes)
    {
        var api = processes[0];
        await api.RegisterStaffAsync(("crash.fd", "front-desk"), ("crash.nurse", "nurse"), ("crash.dr", "prescriber"));
        var setup = new TreatmentData(api.ClientFor("crash.fd", "front-desk"), api.ClientFor("crash.nurse", "nurse"), api.ClientFor("crash.dr", "prescriber"));
        // Stock:Enforce is on in the processes: the lot the doses name is received first.
        await StockData.Receive(setup.Nurse, "KET-2026-001", 100_000m, witness: "crash.dr");
        var sessionIds = new List<Guid>();
        for (var i = 0; i < Sessions; i++)
        {
            sessionIds.Add((await setup.CheckedInSession()).SessionId);
        }

        var writes = new List<Write>();
        var report = new StringBuilder();
        for (var round = 0; round < KillAfterAnswered.Length; round++)
        {
            var batch = Batch(round, sessionIds);
            await FireAndKill(api, batch, KillAfterAnswered[round], report);
            writes.AddRange(batch);
            var restart = System.Diagnostics.Stopwatch.StartNew();
            api = await ApiProcess.StartAsync($"restart {round + 1}", database);
            processes.Add(api);
            report.AppendLine(FormattableString.Invariant($"{api.Name}: ready in {restart.Elapsed.TotalSeconds:0.0} s"));
        }

        // Every cut write, every write answered 409 session.concurrent-change (the key was released) and every 5xx is
        // sent again with its own key and body, as a client does after a timeout (docs/operations.md, "Crash safety
        // and retries"; api.md: after a 5xx or a 409 nothing was kept).
        using var nurse = api.ClientFor("crash.nurse", "nurse");
        using var frontDesk = api.ClientFor("crash.fd", "front-desk");
        var retried = writes.Where(w => w.FirstAnswer!.Cut || w.FirstAnswer.IsServerError || w.FirstAnswer.Code == "session.concurrent-change").ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(retried.Select(async w =>
            w.Final = await PostUntilNotConcurrentAsync(api.Name, w.Kind == "dose" ? nurse : frontDesk, w.Path, w.Body, w.Key)));
        foreach (var w in writes.Except(retried))
        {
            w.Final = w.FirstAnswer;
        }

        report.Append(FormattableString.Invariant($"{api.Name}: {retried.Count} retried in {clock.Elapsed.TotalSeconds:0.0} s: "))
            .AppendLine(Tally(retried.Select(w => w.Final!)));

        var failures = new List<string>();
        var serverErrors = writes.Select(w => w.FirstAnswer!).Concat(retried.Select(w => w.Final!)).Where(a => a.IsServerError).ToList();
        if (serverErrors.Count > 0)
        {
            failures.Add($"{serverErrors.Count} answers were 5xx, e.g. {serverErrors[0]}");
        }

        foreach (var w in writes.Where(w => w.Final!.Status != HttpStatusCode.Created))
        {
            var before = w.FirstAnswer!.Cut ? "cut by the kill" : $"first answered {(int)w.FirstAnswer.Status!.Value}";
            failures.Add($"{w.Describes} (key {w.Key}, {before}) ended {w.Final}");
        }

        // (a) nothing acknowledged is lost, (b) one record per key: the one its 201 named, read on the restarted process.
        foreach (var sessionId in sessionIds)
        {
            var page = await GetAsync(api.Name, nurse, $"/api/v1/sessions/{sessionId}/doses?limit=200");
            if (page.Status != HttpStatusCode.OK)
            {
                failures.Add($"Listing the doses of session {sessionId}: {page}");
                continue;
            }

            var listed = page.Items().Select(d => (Id: d!["id"]!.GetValue<Guid>(), Start: d["infusionStartedAt"]!.GetValue<DateTimeOffset>())).ToList();
            foreach (var w in writes.Where(w => w.Kind == "dose" && w.Path.Contains(sessionId.ToString(), StringComparison.Ordinal)))
            {
                var start = ((DoseBody)w.Body).InfusionStartedAt;
                // Within a second: PostgreSQL keeps microseconds, the test's clock has ticks; doses are 2 minutes apart.
                var stored = listed.Where(d => (d.Start - start).Duration() < TimeSpan.FromSeconds(1)).ToList();
                if (stored.Count > 1 || (w.Final!.Status == HttpStatusCode.Created && (stored.Count != 1 || stored[0].Id != w.Final.CreatedId)))
                {
                    failures.Add($"{w.Describes} (key {w.Key}) ended {w.Final}, stored as {stored.Count} dose(s): {string.Join(", ", stored.Select(d => d.Id))}");
                }
            }
        }

        var patientChecks = await Task.WhenAll(writes.Where(w => w.Kind == "patient").Select(async w =>
        {
            var mrn = ((PatientBody)w.Body).Mrn;
            var search = await GetAsync(api.Name, frontDesk, $"/api/v1/patients?search={mrn}");
            if (search.Status != HttpStatusCode.OK)
            {
                return $"Searching for {mrn}: {search}";
            }

            var found = search.Items();
            return found.Count > 1 || (w.Final!.Status == HttpStatusCode.Created && (found.Count != 1 || found[0]!["id"]!.GetValue<Guid>() != w.Final.CreatedId))
                ? $"{w.Describes} (key {w.Key}) ended {w.Final}, stored as {found.Count} patient(s)"
                : null;
        }));
        failures.AddRange(patientChecks.OfType<string>());

        Assert.True(failures.Count == 0,
            $"{failures.Count} problems; each of the {writes.Count} keyed writes must end as exactly one record and a 201:\n{report}" +
            string.Join('\n', failures.Take(15)) + (failures.Count > 15 ? $"\n… and {failures.Count - 15} more" : "") +
            (serverErrors.Count > 0 ? "\n" + string.Join('\n', processes.Select(p => p.Output)) : ""));
        await AssertAuditIntactAsync(api);
    }

    /// <summary>One round's writes: doses on every session (1 mg infusions at times no other write uses) and new patients.</summary>
    private static List<Write> Batch(int round, List<Guid> sessionIds)
    {
        var batch = new List<Write>();
        foreach (var sessionId in sessionIds)
        {
            for (var j = 0; j < DosesPerSessionAndRound; j++)
            {
                // Starts 10…48 min after check-in, 2 min apart: whichever is stored first lies within the BP gate's
                // 60 minutes of the BP at +5 (domain.md §4); twenty 1 mg doses are 0.29 mg/kg at 70 kg, under every limit (§3).
                var start = TreatmentData.CheckInTime.AddMinutes(10 + (2 * ((round * DosesPerSessionAndRound) + j)));
                batch.Add(new Write("dose", $"/api/v1/sessions/{sessionId}/doses", new DoseBody(start), Guid.NewGuid().ToString(),
                    FormattableString.Invariant($"dose at +{(start - TreatmentData.CheckInTime).TotalMinutes} min on session {sessionId} (round {round + 1})")));
            }
        }

        for (var i = 0; i < PatientsPerRound; i++)
        {
            var mrn = Http.Unique("MRN");
            batch.Add(new Write("patient", "/api/v1/patients", new PatientBody(mrn), Guid.NewGuid().ToString(), $"registration of {mrn} (round {round + 1})"));
        }

        // Doses and registrations interleaved, so the kill cuts both kinds.
        return [.. batch.OrderBy(_ => Random.Shared.Next())];
    }

    /// <summary>
    /// Sends the batch from <see cref="Clients"/> concurrent clients, each sending its next write when the last is
    /// answered (a clinic's steady load, so that at any moment writes are in every phase of their request), and kills
    /// the process once <paramref name="killAfter"/> of the batch has been answered. Writes not sent by then stay unsent.
    /// </summary>
    private static async Task FireAndKill(ApiProcess api, List<Write> batch, double killAfter, StringBuilder report)
    {
        using var nurse = api.ClientFor("crash.nurse", "nurse");
        using var frontDesk = api.ClientFor("crash.fd", "front-desk");
        var threshold = (int)(batch.Count * killAfter);
        var queue = new System.Collections.Concurrent.ConcurrentQueue<Write>(batch);
        var answered = 0;
        var killed = false;
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clients = Enumerable.Range(0, Clients).Select(async _ =>
        {
            while (!Volatile.Read(ref killed) && queue.TryDequeue(out var w))
            {
                w.FirstAnswer = await PostAsync(api.Name, w.Kind == "dose" ? nurse : frontDesk, w.Path, w.Body, w.Key);
                if (Interlocked.Increment(ref answered) >= threshold)
                {
                    reached.TrySetResult();
                }
            }
        }).ToList();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var all = Task.WhenAll(clients);
        await Task.WhenAny(reached.Task, all);
        var killedAt = clock.Elapsed;
        Volatile.Write(ref killed, true);
        await api.KillAsync();
        await all;
        var sent = batch.Where(w => w.FirstAnswer is not null).ToList();
        batch.RemoveAll(w => w.FirstAnswer is null);
        report.Append(FormattableString.Invariant($"{api.Name}: killed after {threshold} answers ({killedAt.TotalSeconds:0.0} s); {sent.Count} writes sent: "))
            .AppendLine(Tally(sent.Select(w => w.FirstAnswer!)));
    }

    private static string Tally(IEnumerable<Answer> answers) => string.Join(", ", answers
        .GroupBy(a => a.Cut ? "cut" : $"{(int)a.Status!.Value}{(a.Replayed ? " replayed" : "")}{(a.Code is { } code ? " " + code : "")}")
        .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"));

    /// <summary>A 1 mg IV infusion of 40 minutes (TreatmentData.IvAt), as a record so the test can read its start back.</summary>
    private sealed record DoseBody(DateTimeOffset InfusionStartedAt)
    {
        public string Medication => "ketamine";

        public string Route => "intravenous";

        public decimal AmountMg => 1m;

        public DateTimeOffset InfusionEndedAt => InfusionStartedAt.AddMinutes(40);

        public string LotNumber => "KET-2026-001";
    }

    private sealed record PatientBody(string Mrn)
    {
        public string GivenName => "Ada";

        public string FamilyName => "Lovelace";

        public string DateOfBirth => "1980-12-10";

        public string Sex => "female";

        public string Diagnosis => "Treatment-resistant depression: two failed adequate antidepressant trials.";
    }
}
