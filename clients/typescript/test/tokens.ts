// HS256 JWTs shaped like the API's test tokens (tests/ClinicTracker.Api.Tests/Infrastructure/TestTokens.cs):
// unique_name, sub, role claims, iss, aud, nbf, iat, exp.
import { createHmac } from "node:crypto";

export interface TokenSettings {
  signingKeyBase64: string;
  issuer: string;
  audience: string;
}

export function settingsFromEnvironment(): TokenSettings & { apiUrl: string } {
  const read = (name: string): string => {
    const value = process.env[name];
    if (value === undefined || value === "") throw new Error(`${name} is not set (scripts/run-against-api.sh sets it)`);
    return value;
  };
  return {
    apiUrl: read("CLINICTRACKER_API_URL"),
    signingKeyBase64: read("CLINICTRACKER_TEST_SIGNING_KEY"),
    issuer: read("CLINICTRACKER_TEST_ISSUER"),
    audience: read("CLINICTRACKER_TEST_AUDIENCE"),
  };
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString("base64url");

export function mintToken(settings: TokenSettings, userName: string, roles: readonly string[], lifetimeMinutes = 30): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: "HS256", typ: "JWT" };
  const payload = {
    unique_name: userName,
    sub: userName,
    role: roles.length === 1 ? roles[0] : roles,
    iss: settings.issuer,
    aud: settings.audience,
    nbf: now - 60,
    iat: now - 60,
    exp: now + lifetimeMinutes * 60,
  };
  const signed = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = createHmac("sha256", Buffer.from(settings.signingKeyBase64, "base64")).update(signed).digest("base64url");
  return `${signed}.${signature}`;
}
