using System.Net;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Api.Tests.Stock;
using static ClinicTracker.Api.Tests.ScaleOut.ScaleOutRequests;

namespace ClinicTracker.Api.Tests.ScaleOut;

/// <summary>
/// Two API processes on one database, started as an installation runs them (docs/operations.md, "Running two or
/// more instances"): the first migrates, the second starts after it with migrations off. On the PostgreSQL
/// assembly that is two processes on one PostgreSQL database; on SQLite, two processes on one file.
/// </summary>
public sealed class TwoApiInstances : IAsyncLifetime
{
    private readonly Lazy<Task<(ApiProcess A, ApiProcess B)>> started;
    private TestDatabase? database;

    public TwoApiInstances()
    {
        // Started on first use, so a skipped PostgreSQL test class never needs a server.
        started = new(StartAsync);
    }

    public Task<(ApiProcess A, ApiProcess B)> Instances => started.Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (started.IsValueCreated && started.Value.IsCompletedSuccessfully)
        {
            var (a, b) = started.Value.Result;
            await a.DisposeAsync();
            await b.DisposeAsync();
        }

        database?.Dispose();
    }

    private async Task<(ApiProcess A, ApiProcess B)> StartAsync()
    {
        database = TestDatabase.Create();
        // B is launched once A has migrated (A listens only after its start-up migration), then both warm up together.
        var a = ApiProcess.Launch("A", database);
        await a.WaitUntilListeningAsync();
        var b = ApiProcess.Launch("B", database, migrate: false);
        await Task.WhenAll(a.WaitUntilReadyAsync(), b.WaitUntilReadyAsync());
        await a.RegisterStaffAsync(("scale.fd", "front-desk"), ("scale.nurse", "nurse"), ("scale.dr", "prescriber"));
        // The processes run the shipped stock setting (Stock:Enforce on): the lot the doses name is received first, and
        // every dose of these tests takes that lot's lock on whichever instance records it.
        using var nurse = a.ClientFor("scale.nurse", "nurse");
        await StockData.Receive(nurse, "KET-2026-001", 100_000m, witness: "scale.dr");
        return (a, b);
    }
}

[Collection(ApiProcessCollection.Name)]
public sealed class TwoInstancesTests(TwoApiInstances fixture) : IClassFixture<TwoApiInstances>
{
    /// <summary>Front desk, nurse and prescriber clients of one instance, with the helpers that build a treatment.</summary>
    private static TreatmentData DataOn(ApiProcess instance) => new(
        instance.ClientFor("scale.fd", "front-desk"), instance.ClientFor("scale.nurse", "nurse"), instance.ClientFor("scale.dr", "prescriber"));

    [Fact]
    public async Task DuplicateMrn_SentToBothInstancesAtOnce_CreatesOnePatient_AndTheRestAre409()
    {
        var (a, b) = await fixture.Instances;
        await WithOutputOnFailure(async () =>
        {
            using var onA = a.ClientFor("scale.fd", "front-desk");
            using var onB = b.ClientFor("scale.fd", "front-desk");
            var mrns = Enumerable.Range(0, 8).Select(_ => Http.Unique("MRN")).ToList();

            // Each MRN six times, three to each instance, all 48 requests at once.
            var sent = mrns.SelectMany(mrn => Enumerable.Range(0, 6).Select(i => (Mrn: mrn, Task: i % 2 == 0
                ? PostAsync(a.Name, onA, "/api/v1/patients", PatientData.NewPatient(mrn))
                : PostAsync(b.Name, onB, "/api/v1/patients", PatientData.NewPatient(mrn))))).ToList();
            await Task.WhenAll(sent.Select(s => s.Task));
            var answers = sent.Select(s => (s.Mrn, Answer: s.Task.Result)).ToList();

            AssertNoServerErrors(answers.Select(x => x.Answer), a, b);
            foreach (var group in answers.GroupBy(x => x.Mrn))
            {
                var created = group.Where(x => x.Answer.Status == HttpStatusCode.Created).Select(x => x.Answer).ToList();
                Assert.True(created.Count == 1, $"MRN {group.Key}: expected one 201, got\n{string.Join('\n', group.Select(x => x.Answer))}");
                Assert.All(group.Where(x => x.Answer.Status != HttpStatusCode.Created), x =>
                    Assert.True(x.Answer.Code == "patient.duplicate-mrn", $"MRN {group.Key}: expected 409 patient.duplicate-mrn, got {x.Answer}"));

                // One row, the one acknowledged, seen alike from both instances.
                foreach (var (name, client) in new[] { (a.Name, onA), (b.Name, onB) })
                {
                    var found = await GetAsync(name, client, $"/api/v1/patients?search={group.Key}");
                    var items = found.Items();
                    Assert.True(items.Count == 1, $"Search for {group.Key} on {name}: {found}");
                    Assert.Equal(created[0].CreatedId, items[0]!["id"]!.GetValue<Guid>());
                }
            }

            await AssertAuditIntactAsync(a);
            await AssertAuditIntactAsync(b);
        }, [a, b]);
    }

    [Fact]
    public async Task SameIdempotencyKey_SentToBothInstancesAtOnce_StoresOneDose_AndEveryAnswerIsTheFirst()
    {
        var (a, b) = await fixture.Instances;
        await WithOutputOnFailure(async () =>
        {
            var data = DataOn(a);
            using var nurseA = a.ClientFor("scale.nurse", "nurse");
            using var nurseB = b.ClientFor("scale.nurse", "nurse");
            var sessions = new List<(Guid PatientId, Guid PlanId, Guid SessionId)>();
            for (var i = 0; i < 4; i++)
            {
                sessions.Add(await data.CheckedInSession());
            }

            // Per session one key and one body, sent six times at once, alternating between the instances.
            var sent = sessions.SelectMany(s =>
            {
                var key = Guid.NewGuid().ToString();
                var path = $"/api/v1/sessions/{s.SessionId}/doses";
                return Enumerable.Range(0, 6).Select(i => (s.SessionId, Task: i % 2 == 0
                    ? PostAsync(a.Name, nurseA, path, TreatmentData.Iv(35m), key)
                    : PostAsync(b.Name, nurseB, path, TreatmentData.Iv(35m), key)));
            }).ToList();
            await Task.WhenAll(sent.Select(s => s.Task));
            var answers = sent.Select(s => (s.SessionId, Answer: s.Task.Result)).ToList();

            AssertNoServerErrors(answers.Select(x => x.Answer), a, b);
            foreach (var group in answers.GroupBy(x => x.SessionId))
            {
                var all = group.Select(x => x.Answer).ToList();
                var described = string.Join('\n', all);
                Assert.True(all.All(x => x.Status == HttpStatusCode.Created), $"Session {group.Key}: every answer must be the 201:\n{described}");
                Assert.True(all.Select(x => x.Body).Distinct().Count() == 1, $"Session {group.Key}: the answers differ:\n{described}");
                Assert.Single(all.Select(x => x.Location).Distinct());
                Assert.True(all.Count(x => !x.Replayed) <= 1, $"Session {group.Key}: more than one request ran:\n{described}");

                foreach (var (name, client) in new[] { (a.Name, nurseA), (b.Name, nurseB) })
                {
                    var doses = (await GetAsync(name, client, $"/api/v1/sessions/{group.Key}/doses")).Items();
                    Assert.True(doses.Count == 1, $"Session {group.Key} on {name}: {doses.ToJsonString()}");
                    Assert.Equal(all[0].CreatedId, doses[0]!["id"]!.GetValue<Guid>());
                }
            }

            await AssertAuditIntactAsync(a);
            await AssertAuditIntactAsync(b);
        }, [a, b]);
    }

    [Fact]
    public async Task DosesOnOneSession_FromBothInstancesAtOnce_AreEachStoredOnce()
    {
        var (a, b) = await fixture.Instances;
        await WithOutputOnFailure(async () =>
        {
            var data = DataOn(a);
            using var nurseA = a.ClientFor("scale.nurse", "nurse");
            using var nurseB = b.ClientFor("scale.nurse", "nurse");
            var (_, _, sessionId) = await data.CheckedInSession();
            var path = $"/api/v1/sessions/{sessionId}/doses";

            // Twelve 2 mg infusions of 40 min, started 4 minutes apart from 10 min after check-in (the first within
            // the BP gate's 60 minutes, domain.md §4): 24 mg at 70 kg is 0.34 mg/kg, under every limit (§3).
            // A 409 session.concurrent-change means another dose saved first: retried with the same key.
            var sent = Enumerable.Range(0, 12).Select(i => i % 2 == 0
                ? PostUntilNotConcurrentAsync(a.Name, nurseA, path, TreatmentData.Iv(2m, startMinutesAfterCheckIn: 10 + (4 * i)), Guid.NewGuid().ToString())
                : PostUntilNotConcurrentAsync(b.Name, nurseB, path, TreatmentData.Iv(2m, startMinutesAfterCheckIn: 10 + (4 * i)), Guid.NewGuid().ToString())).ToList();
            var answers = await Task.WhenAll(sent);

            AssertNoServerErrors(answers, a, b);
            Assert.True(answers.All(x => x.Status == HttpStatusCode.Created), string.Join('\n', answers.Where(x => x.Status != HttpStatusCode.Created)));
            var acknowledged = answers.Select(x => x.CreatedId).Order().ToList();
            Assert.Equal(12, acknowledged.Distinct().Count());
            foreach (var (name, client) in new[] { (a.Name, nurseA), (b.Name, nurseB) })
            {
                var session = (await GetAsync(name, client, $"/api/v1/sessions/{sessionId}")).Json();
                Assert.Equal(acknowledged, session["doses"]!.AsArray().Select(d => d!["id"]!.GetValue<Guid>()).Order().ToList());
                Assert.Equal(24m, session["doseSummary"]![0]!["totalMg"]!.GetValue<decimal>());
            }

            await AssertAuditIntactAsync(a);
            await AssertAuditIntactAsync(b);
        }, [a, b]);
    }

    [Fact]
    public async Task ReadsAndWritesMixed_AcrossBothInstances_WhatOneAcknowledgesTheOtherReads()
    {
        var (a, b) = await fixture.Instances;
        await WithOutputOnFailure(async () =>
        {
            // Eight visits at once; each writes on one instance and reads it back on the other at every step.
            var answers = (await Task.WhenAll(Enumerable.Range(0, 8).Select(i => i % 2 == 0 ? Visit(a, b) : Visit(b, a)))).SelectMany(x => x).ToList();

            AssertNoServerErrors(answers, a, b);
            await AssertAuditIntactAsync(a);
            await AssertAuditIntactAsync(b);
        }, [a, b]);
    }

    /// <summary>A visit written on <paramref name="writer"/> and read on <paramref name="reader"/>; returns every answer.</summary>
    private static async Task<List<Answer>> Visit(ApiProcess writer, ApiProcess reader)
    {
        var answers = new List<Answer>();
        var w = DataOn(writer);
        var r = DataOn(reader);

        async Task<Answer> Expect(Task<Answer> call, HttpStatusCode status)
        {
            var answer = await call;
            answers.Add(answer);
            Assert.True(answer.Status == status, $"Expected {(int)status}, got {answer}");
            return answer;
        }

        var patient = await Expect(PostAsync(writer.Name, w.FrontDesk, "/api/v1/patients", PatientData.NewPatient()), HttpStatusCode.Created);
        var patientId = patient.CreatedId;
        var read = await Expect(GetAsync(reader.Name, r.FrontDesk, $"/api/v1/patients/{patientId}"), HttpStatusCode.OK);
        Assert.Equal(patient.Json()["mrn"]!.GetValue<string>(), read.Json()["mrn"]!.GetValue<string>());

        var plan = await Expect(PostAsync(writer.Name, w.Prescriber, $"/api/v1/patients/{patientId}/plans", new
        {
            medication = "ketamine", route = "intravenous", startDate = "2026-03-02", timeZone = "America/New_York",
            template = "iv-induction", targetDoseMgPerKg = 0.5m,
        }, Guid.NewGuid().ToString()), HttpStatusCode.Created);
        await Expect(GetAsync(reader.Name, r.Prescriber, $"/api/v1/plans/{plan.CreatedId}"), HttpStatusCode.OK);

        var session = await Expect(PostAsync(reader.Name, r.FrontDesk, $"/api/v1/patients/{patientId}/sessions",
            new { planId = plan.CreatedId, scheduledAt = TreatmentData.CheckInTime }, Guid.NewGuid().ToString()), HttpStatusCode.Created);
        var sessionId = session.CreatedId;
        await Expect(PostAsync(writer.Name, w.Nurse, $"/api/v1/sessions/{sessionId}/check-in",
            new { weightKg = 70m, weightBasis = "actual", at = TreatmentData.CheckInTime }), HttpStatusCode.OK);
        await Expect(PostAsync(reader.Name, r.Nurse, $"/api/v1/sessions/{sessionId}/observations",
            new { kind = "blood-pressure", systolic = 120, diastolic = 80, observedAt = TreatmentData.CheckInTime.AddMinutes(5) },
            Guid.NewGuid().ToString()), HttpStatusCode.Created);

        // 20 mg then 15 mg: 0.5 mg/kg at 70 kg, the plan's target.
        var first = await Expect(PostUntilNotConcurrentAsync(writer.Name, w.Nurse, $"/api/v1/sessions/{sessionId}/doses",
            TreatmentData.Iv(20m), Guid.NewGuid().ToString()), HttpStatusCode.Created);
        var second = await Expect(PostUntilNotConcurrentAsync(reader.Name, r.Nurse, $"/api/v1/sessions/{sessionId}/doses",
            TreatmentData.Iv(15m, startMinutesAfterCheckIn: 55), Guid.NewGuid().ToString()), HttpStatusCode.Created);

        foreach (var (instance, data) in new[] { (writer, w), (reader, r) })
        {
            var detail = (await Expect(GetAsync(instance.Name, data.Nurse, $"/api/v1/sessions/{sessionId}"), HttpStatusCode.OK)).Json();
            Assert.Equal(new[] { first.CreatedId, second.CreatedId }.Order(), detail["doses"]!.AsArray().Select(d => d!["id"]!.GetValue<Guid>()).Order());
            Assert.Equal(35m, detail["doseSummary"]![0]!["totalMg"]!.GetValue<decimal>());
            var history = (await Expect(GetAsync(instance.Name, data.Nurse, $"/api/v1/patients/{patientId}/sessions"), HttpStatusCode.OK)).Items();
            Assert.Equal(sessionId, Assert.Single(history)!["id"]!.GetValue<Guid>());
        }

        return answers;
    }
}
