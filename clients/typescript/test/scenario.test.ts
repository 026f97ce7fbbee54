// One IV ketamine session from the front desk to the reports, through the typed client, against a live
// API (scripts/run-against-api.sh starts one). Every answer is checked against the served document's
// schema for its operation, status and media type (test/contract.ts): a mismatch fails the step.
//
// The flow is docs/api.md's walk-through: register and find the patient, schedule, check in, the
// pre-dose BP, a 35 mg infusion (0.5 mg/kg at 70 kg), a 17.51 mg top-up refused by the soft limit
// (domain.md §3: the 24-hour total 52.51 mg is above 0.75 mg/kg × 70 kg = 52.5 mg), the prescriber's
// override, the monitoring that completion needs (domain.md §4), completion, history and adherence
// (domain.md §10). Names and MRNs are made up and unique per run.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import {
  ApiProblem,
  createClinicClient,
  isRecord,
  problemOf,
  unwrap,
  withRetries,
  type ClinicClient,
  type Schema,
} from "../src/index.js";
import { Contract } from "./contract.js";
import { mintToken, settingsFromEnvironment } from "./tokens.js";

const settings = settingsFromEnvironment();
const run = randomUUID().slice(0, 8);
const contract = await Contract.load(settings.apiUrl);

const users = {
  admin: { userName: `admin.${run}`, role: "admin" },
  frontDesk: { userName: `frontdesk.${run}`, role: "front-desk" },
  nurse: { userName: `nurse.${run}`, role: "nurse" },
  prescriber: { userName: `dr.${run}`, role: "prescriber" },
} as const;

function clientFor(user: { userName: string; role: string }, fetchImpl?: typeof fetch): ClinicClient {
  return createClinicClient({
    baseUrl: settings.apiUrl,
    token: () => mintToken(settings, user.userName, [user.role]),
    middleware: [contract.middleware()],
    ...(fetchImpl === undefined ? {} : { fetch: fetchImpl }),
  });
}

const admin = clientFor(users.admin);
const frontDesk = clientFor(users.frontDesk);
const nurse = clientFor(users.nurse);
const prescriber = clientFor(users.prescriber);

const minutesAgo = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();

// The visit, in minutes before now (all in the past: the API refuses times in the future).
const at = {
  scheduled: 180,
  checkIn: 170,
  preDoseBp: 165,
  infusionStart: 160,
  infusionEnd: 120,
  topUpStart: 115,
  topUpEnd: 85,
  postInfusionBp: 80,
  dischargeBp: 10,
} as const;

/** The codes of a dose refusal's `warnings` (the document's ProblemDetails does not describe them). */
function warningCodes(problem: ApiProblem): string[] {
  const warnings = problem.member("warnings");
  assert.ok(Array.isArray(warnings), `warnings is not a list: ${JSON.stringify(problem.members)}`);
  return warnings.map((warning: unknown) => (isRecord(warning) && typeof warning["code"] === "string" ? warning["code"] : "?"));
}

function stringList(value: unknown): string[] {
  assert.ok(Array.isArray(value), `not a list: ${JSON.stringify(value)}`);
  return value.map((item: unknown) => (typeof item === "string" ? item : JSON.stringify(item)));
}

const ivDose = (amountMg: number, startMinutesAgo: number, endMinutesAgo: number) =>
  ({
    medication: "ketamine",
    route: "intravenous",
    amountMg,
    infusionStartedAt: minutesAgo(startMinutesAgo),
    infusionEndedAt: minutesAgo(endMinutesAgo),
    lotNumber: "KET-TEST-0001",
  }) satisfies Schema<"RecordDoseRequest">;

// State the steps hand on.
let patient: Schema<"PatientResponse">;
let plan: Schema<"PlanResponse">;
let session: Schema<"SessionResponse">;
let firstDose: Schema<"DoseResponse">;

before(async () => {
  for (const user of [users.frontDesk, users.nurse, users.prescriber]) {
    const result = await admin.POST("/api/v1/clinicians", {
      body: { userName: user.userName, displayName: `Scenario ${user.role} ${run}`, role: user.role },
    });
    assert.equal(result.response.status, 201, `registering ${user.userName}`);
  }
});

test("the front desk registers the patient, finds them by MRN and corrects the record with If-Match", async () => {
  const mrn = `SCN-${run}`;
  patient = unwrap(
    await frontDesk.POST("/api/v1/patients", {
      body: {
        mrn,
        givenName: "Casey",
        familyName: `Scenario${run}`,
        dateOfBirth: "1980-04-12",
        sex: "female",
        diagnosis: "Treatment-resistant depression",
      },
    }),
  );
  assert.equal(patient.mrn, mrn);
  assert.equal(patient.version, 1);
  assert.equal(patient.openSafetyFlags, null, "the front desk does not see clinical fields");

  const found = unwrap(await frontDesk.GET("/api/v1/patients", { params: { query: { search: mrn } } }));
  assert.deepEqual(
    found.items.map((p) => p.id),
    [patient.id],
  );
  assert.equal(found.nextCursor, null);

  // PUT requires If-Match: the client sends the ETag it got with the 201.
  const corrected = unwrap(
    await frontDesk.PUT("/api/v1/patients/{id}", {
      params: { path: { id: patient.id } },
      body: {
        mrn,
        givenName: "Casey",
        familyName: `Scenario${run}`,
        dateOfBirth: "1980-04-21",
        sex: "female",
        diagnosis: "Treatment-resistant depression",
      },
    }),
  );
  assert.equal(corrected.dateOfBirth, "1980-04-21");
  assert.equal(corrected.version, 2);
  assert.equal(frontDesk.etags.get(`/api/v1/patients/${patient.id}`), '"2"');

  // A stale tag (someone else's edit came first) is a 412; the explicit header wins over the store.
  const stale = problemOf(
    await frontDesk.PUT("/api/v1/patients/{id}", {
      params: { path: { id: patient.id } },
      headers: { "If-Match": '"1"' },
      body: { mrn, givenName: "Casey", familyName: `Scenario${run}`, dateOfBirth: "1980-04-22", sex: "female" },
    }),
  );
  const preconditionFailed: typeof stale.code = "precondition.failed";
  assert.equal(stale.status, 412);
  assert.equal(stale.code, preconditionFailed);
  patient = corrected;
});

test("the prescriber creates the plan and the front desk schedules the session; a retried POST is stored once", async () => {
  const startDate = minutesAgo(at.checkIn).slice(0, 10);
  plan = unwrap(
    await prescriber.POST("/api/v1/patients/{patientId}/plans", {
      params: { path: { patientId: patient.id } },
      body: {
        medication: "ketamine",
        route: "intravenous",
        startDate,
        timeZone: "UTC",
        phases: [{ name: "induction", sessions: 6, everyDays: 2 }],
        targetDoseMgPerKg: 0.5,
      },
    }),
  );
  assert.equal(plan.status, "active");

  // The first answer is lost on the way back (the request did reach the API): withRetries sends the
  // same request with the same Idempotency-Key, and the API answers with the session it stored.
  let calls = 0;
  const lossyFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    calls++;
    if (calls === 1) throw new TypeError("fetch failed: the connection was reset before the answer arrived");
    return response;
  };
  const lossyFrontDesk = clientFor(users.frontDesk, lossyFetch);
  const body = { planId: plan.id, scheduledAt: minutesAgo(at.scheduled) };
  const result = await withRetries(
    (key) =>
      lossyFrontDesk.POST("/api/v1/patients/{patientId}/sessions", {
        params: { path: { patientId: patient.id }, header: { "Idempotency-Key": key } },
        body,
      }),
    { delayMs: 10 },
  );
  assert.equal(calls, 2);
  assert.equal(result.response.status, 201);
  assert.equal(result.response.headers.get("Idempotent-Replayed"), "true");
  session = unwrap(result);
  assert.equal(session.status, "scheduled");
  assert.equal(session.doses, null, "the front desk gets the session without its clinical parts");

  const history = unwrap(
    await frontDesk.GET("/api/v1/patients/{patientId}/sessions", { params: { path: { patientId: patient.id } } }),
  );
  assert.deepEqual(
    history.items.map((s) => s.id),
    [session.id],
    "one session stored for two attempts",
  );
});

test("the nurse checks in, records the pre-dose BP and the first infusion", async () => {
  const checkedIn = unwrap(
    await nurse.POST("/api/v1/sessions/{sessionId}/check-in", {
      params: { path: { sessionId: session.id } },
      body: { weightKg: 70, weightBasis: "actual", at: minutesAgo(at.checkIn) },
    }),
  );
  assert.equal(checkedIn.status, "checked-in");
  assert.equal(checkedIn.weightKg, 70);
  assert.equal(checkedIn.checkedInBy, users.nurse.userName);

  const bp = unwrap(
    await nurse.POST("/api/v1/sessions/{sessionId}/observations", {
      params: { path: { sessionId: session.id } },
      body: { kind: "blood-pressure", systolic: 128, diastolic: 82, observedAt: minutesAgo(at.preDoseBp) },
    }),
  );
  assert.equal(bp.kind, "blood-pressure");
  assert.equal(bp.systolic, 128);

  // Stock:Enforce is on (the shipped default): the lot is received, with a second clinician, before a dose names it.
  const receipt = unwrap(
    await nurse.POST("/api/v1/stock/receipts", {
      body: {
        medication: "ketamine",
        form: "vial",
        strength: 50,
        lotNumber: "KET-TEST-0001",
        expiresOn: "2030-12-31",
        quantityMg: 1000,
        receivedAt: minutesAgo(24 * 60),
        supplier: "Test Distributor",
        invoiceNumber: "INV-TEST-0001",
        witnessUserName: users.prescriber.userName,
      },
    }),
  );
  const before = receipt.lot.balanceMg;

  firstDose = unwrap(
    await nurse.POST("/api/v1/sessions/{sessionId}/doses", {
      params: { path: { sessionId: session.id } },
      body: ivDose(35, at.infusionStart, at.infusionEnd),
    }),
  );
  assert.equal(firstDose.amountMg, 35);
  assert.equal(firstDose.mgPerKg, 0.5);
  assert.equal(firstDose.infusionMinutes, 40);
  assert.equal(firstDose.rateMgPerHour, 52.5);
  assert.equal(firstDose.recordedBy, users.nurse.userName);
  assert.equal(firstDose.lotId, receipt.lotId);
  const lot = unwrap(await nurse.GET("/api/v1/stock/lots/{lotId}", { params: { path: { lotId: receipt.lotId } } }));
  assert.equal(lot.balanceMg, before - 35, "the dose drew 35 mg from the lot");
});

test("the nurse's top-up hits the soft limit and sees the warning codes; the prescriber overrides", async () => {
  const topUp = ivDose(17.51, at.topUpStart, at.topUpEnd);
  const refused = problemOf(
    await nurse.POST("/api/v1/sessions/{sessionId}/doses", { params: { path: { sessionId: session.id } }, body: topUp }),
  );
  const softLimit: typeof refused.code = "dose.soft-limit";
  assert.equal(refused.status, 422);
  assert.equal(refused.code, softLimit);
  assert.deepEqual(warningCodes(refused), ["iv.above-usual-mg-per-kg"]);
  assert.deepEqual(stringList(refused.member("notAccepted")), ["iv.above-usual-mg-per-kg"]);
  assert.equal(refused.member("overrideAllowed"), false, "a nurse may not override");
  assert.equal(refused.member("totalMg"), 52.51);
  assert.equal(refused.response.headers.get("Content-Type")?.split(";")[0], "application/problem+json");

  const overridden = unwrap(
    await prescriber.POST("/api/v1/sessions/{sessionId}/doses", {
      params: { path: { sessionId: session.id } },
      body: {
        ...topUp,
        overrideReason: "Partial response at 0.5 mg/kg; top-up agreed with the patient, BP stable",
        acceptedWarnings: warningCodes(refused),
      },
    }),
  );
  assert.deepEqual(overridden.overriddenWarnings, ["iv.above-usual-mg-per-kg"]);
  assert.equal(overridden.overriddenBy, users.prescriber.userName);
  assert.equal(overridden.recordedBy, users.prescriber.userName);
  assert.equal(overridden.amountMg, 17.51);
});

test("the nurse records the monitoring completion needs and completes the session", async () => {
  const early = problemOf(
    await nurse.POST("/api/v1/sessions/{sessionId}/complete", { params: { path: { sessionId: session.id } }, body: {} }),
  );
  const monitoringIncomplete: typeof early.code = "session.monitoring-incomplete";
  assert.equal(early.code, monitoringIncomplete);
  const missing = early.member("missing");
  assert.ok(Array.isArray(missing));
  assert.deepEqual(
    missing.map((m: unknown) => (isRecord(m) ? m["code"] : m)),
    ["infusion-bp", "discharge-bp"],
  );

  for (const [systolic, diastolic, minutes] of [
    [132, 84, at.postInfusionBp],
    [124, 80, at.dischargeBp],
  ] as const) {
    const result = await nurse.POST("/api/v1/sessions/{sessionId}/observations", {
      params: { path: { sessionId: session.id } },
      body: { kind: "blood-pressure", systolic, diastolic, observedAt: minutesAgo(minutes) },
    });
    assert.equal(result.response.status, 201);
  }

  const completed = unwrap(
    await nurse.POST("/api/v1/sessions/{sessionId}/complete", { params: { path: { sessionId: session.id } }, body: {} }),
  );
  assert.equal(completed.status, "completed");
  assert.equal(completed.completedBy, users.nurse.userName);
  assert.deepEqual(completed.monitoring?.missingBeforeCompletion, []);
  assert.deepEqual(
    completed.doses?.map((d) => d.amountMg),
    [35, 17.51],
  );
  assert.equal(completed.doseSummary?.[0]?.totalMg, 52.51);
});

test("the history page and the adherence report show the completed session", async () => {
  const history = unwrap(
    await nurse.GET("/api/v1/patients/{patientId}/sessions", { params: { path: { patientId: patient.id } } }),
  );
  assert.equal(history.items.length, 1);
  const [item] = history.items;
  assert.ok(item);
  assert.equal(item.id, session.id);
  assert.equal(item.status, "completed");
  assert.equal(item.weightKg, 70);
  assert.equal(item.flagged, false);
  assert.deepEqual(item.doseSummary, [
    { medication: "ketamine", route: "intravenous", totalMg: 52.51, mgPerKg: 0.75, doseCount: 2 },
  ]);

  // The front desk's history page: status and times, no clinical fields.
  const frontDeskHistory = unwrap(
    await frontDesk.GET("/api/v1/patients/{patientId}/sessions", { params: { path: { patientId: patient.id } } }),
  );
  assert.equal(frontDeskHistory.items[0]?.status, "completed");
  assert.equal(frontDeskHistory.items[0]?.doseSummary, null);

  const adherence = unwrap(
    await nurse.GET("/api/v1/plans/{planId}/adherence", { params: { path: { planId: plan.id } } }),
  );
  assert.equal(adherence.planId, plan.id);
  assert.equal(adherence.due, 1);
  assert.equal(adherence.onTime, 1);
  assert.equal(adherence.missed, 0);
  assert.equal(adherence.adherenceRate, 1);
  const [firstDue] = adherence.dueDates;
  assert.ok(firstDue);
  assert.equal(firstDue.status, "on-time");
  assert.equal(firstDue.sessionId, session.id);
  assert.equal(firstDue.missedReason, null);
});

test("a retried POST with the same key returns the same record and stores nothing new", async () => {
  // The front desk's device sends a registration twice with one key (it saw no answer the first time).
  const key = randomUUID();
  const mrn = `SCN-${run}-2`;
  const send = () =>
    frontDesk.POST("/api/v1/patients", {
      params: { header: { "Idempotency-Key": key } },
      body: { mrn, givenName: "Robin", familyName: `Scenario${run}`, dateOfBirth: "1975-09-30", sex: "male" },
    });
  const first = await send();
  const second = await send();
  assert.equal(first.response.status, 201);
  assert.equal(first.response.headers.get("Idempotent-Replayed"), null);
  assert.equal(second.response.status, 201);
  assert.equal(second.response.headers.get("Idempotent-Replayed"), "true");
  assert.equal(unwrap(second).id, unwrap(first).id);
  assert.equal(second.response.headers.get("Location"), first.response.headers.get("Location"));

  const found = unwrap(await frontDesk.GET("/api/v1/patients", { params: { query: { search: mrn } } }));
  assert.equal(found.items.length, 1, "one patient stored for two requests");

  // The same key with another body is refused, and nothing is stored.
  const reused = problemOf(
    await frontDesk.POST("/api/v1/patients", {
      params: { header: { "Idempotency-Key": key } },
      body: { mrn: `${mrn}-x`, givenName: "Robin", familyName: `Scenario${run}`, dateOfBirth: "1975-09-30", sex: "male" },
    }),
  );
  const keyReused: typeof reused.code = "idempotency.key-reused";
  assert.equal(reused.status, 422);
  assert.equal(reused.code, keyReused);
});

test("the contract check refuses answers that do not match the document", () => {
  // The check itself must be able to fail: the first dose as the API sent it passes, and the same body
  // with a required member missing, a wrong type, an unknown enum value, or under an undeclared status
  // or media type does not.
  const op = ["/api/v1/sessions/{sessionId}/doses", "POST"] as const;
  const json = "application/json; charset=utf-8";
  assert.equal(contract.mismatch(...op, 201, json, firstDose), undefined);
  const { mgPerKg: _dropped, ...withoutMgPerKg } = firstDose;
  assert.match(contract.mismatch(...op, 201, json, withoutMgPerKg) ?? "", /must have required property 'mgPerKg'/);
  assert.match(contract.mismatch(...op, 201, json, { ...firstDose, amountMg: "35" }) ?? "", /amountMg must be number/);
  assert.match(contract.mismatch(...op, 201, json, { ...firstDose, route: "teleported" }) ?? "", /route must be equal to one of the allowed values/);
  assert.match(contract.mismatch(...op, 201, json, { ...firstDose, infusionMinutes: null, administeredAt: "soon" }) ?? "", /administeredAt must match format "date-time"/);
  assert.match(contract.mismatch(...op, 202, json, firstDose) ?? "", /status 202 is not declared/);
  assert.match(contract.mismatch(...op, 201, "text/plain", firstDose) ?? "", /not text\/plain/);
});

after(() => {
  const summary = [...contract.checked.entries()].map(([op, n]) => `${n} × ${op}`).join(", ");
  console.log(`contract: ${[...contract.checked.values()].reduce((a, b) => a + b, 0)} responses checked (${summary})`);
  assert.deepEqual(contract.violations, [], "every response matches the document");
});
