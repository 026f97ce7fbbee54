// Opens Swagger UI in headless Chromium and checks that a developer can use it: the operations render (not the
// loading spinner), "Authorize" takes a bearer token, and "Try it out" → "Execute" on GET /api/v1/clinicians
// answers 200 with the register. Saves a screenshot (SWAGGER_UI_SCREENSHOT, default in the temp folder) for a look.
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

const base = process.env.CLINICTRACKER_API_URL ?? "http://127.0.0.1:5080";
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const screenshot = process.env.SWAGGER_UI_SCREENSHOT ?? join(tmpdir(), "clinictracker-swagger-ui.png");

/** An HS256 JWT for an admin (admins need no staff-register entry), signed with the key the API was started with. */
function adminToken() {
  const { CLINICTRACKER_TEST_SIGNING_KEY: key, CLINICTRACKER_TEST_ISSUER: iss, CLINICTRACKER_TEST_AUDIENCE: aud } = process.env;
  if (!key || !iss || !aud) throw new Error("CLINICTRACKER_TEST_SIGNING_KEY, _ISSUER and _AUDIENCE must be set");
  const now = Math.floor(Date.now() / 1000);
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${part({ alg: "HS256", typ: "JWT" })}.${part({ unique_name: "swagger-ui.check", sub: "swagger-ui.check", role: "admin", iss, aud, nbf: now - 60, iat: now - 60, exp: now + 600 })}`;
  return `${unsigned}.${createHmac("sha256", Buffer.from(key, "base64")).update(unsigned).digest("base64url")}`;
}

const fail = (message) => { console.error(`swagger-ui: ${message}`); process.exitCode = 1; };
const profile = mkdtempSync(join(tmpdir(), "clinictracker-chromium-"));
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", `--user-data-dir=${profile}`],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 1600 });
  await page.goto(`${base}/swagger/index.html`, { waitUntil: "networkidle0", timeout: 60_000 });

  // Rendered: one block per operation of the document, and no spinner left.
  const expected = await (await fetch(`${base}/swagger/v1/swagger.json`)).json()
    .then((d) => Object.values(d.paths).reduce((n, item) => n + Object.keys(item).length, 0));
  await page.waitForSelector(".opblock", { timeout: 30_000 });
  const rendered = await page.$$eval(".opblock", (blocks) => blocks.length);
  const spinners = await page.$$eval(".loading-container", (s) => s.length);
  if (rendered !== expected) fail(`Swagger UI shows ${rendered} operations; the document has ${expected}`);
  if (spinners !== 0) fail("Swagger UI still shows its loading spinner");

  // Authorize with a bearer token.
  await page.click(".auth-wrapper .authorize");
  await page.waitForSelector(".modal-ux input[type=text], .modal-ux input[type=password]");
  await page.type(".modal-ux input[type=text], .modal-ux input[type=password]", adminToken());
  await page.click(".modal-ux .auth-btn-wrapper .authorize");
  await page.click(".modal-ux .btn-done, .modal-ux .close-modal");

  // Try it out on GET /api/v1/clinicians and execute it.
  const operation = "#operations-Clinicians-ListClinicians";
  await page.waitForSelector(operation);
  await page.click(`${operation} .opblock-summary`);
  await page.waitForSelector(`${operation} .try-out__btn`);
  await page.click(`${operation} .try-out__btn`);
  await page.click(`${operation} .execute`);
  await page.waitForSelector(`${operation} .live-responses-table tr.response .response-col_status`, { timeout: 30_000 });
  const status = await page.$eval(`${operation} .live-responses-table tr.response .response-col_status`, (cell) => cell.textContent.trim());
  const body = await page.$eval(`${operation} .live-responses-table .microlight, ${operation} .live-responses-table pre`, (pre) => pre.textContent);
  if (status !== "200") fail(`Try it out on GET /api/v1/clinicians answered ${status}: ${body.slice(0, 300)}`);
  else if (!body.includes("\"items\"")) fail(`Try it out answered 200 without the register page: ${body.slice(0, 300)}`);

  await page.screenshot({ path: screenshot, fullPage: false });
  if (!process.exitCode) console.log(`swagger-ui: ${rendered} operations rendered; Authorize + Try it out on GET /api/v1/clinicians answered ${status}; screenshot ${screenshot}`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
