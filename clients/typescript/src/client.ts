// The hand-written layer over the generated types: only what generation cannot do.
// - Authorization: a bearer token, fixed or fetched per request.
// - Idempotency-Key on the POSTs that create records (a new UUID per call unless the caller passes one;
//   withRetries resends the same request with the same key).
// - If-Match from the ETag last seen for the resource, on the operations that honour or require it.
// - problem+json answers as ApiProblem, whose `code` has the type the document gives it.
import createClient, { type Client, type ClientOptions, type Middleware } from "openapi-fetch";
import { randomUUID } from "node:crypto";
import type { paths } from "./schema.js";

export type ClinicPaths = paths;
export type ClinicClient = Client<paths> & {
  /** The ETags this client has seen, by resource path (`/api/v1/patients/{id}`). */
  readonly etags: EtagStore;
};

type Method = "get" | "put" | "post" | "delete" | "patch";

// ---------------------------------------------------------------------------------------------------
// Which operations take which header. The document declares Idempotency-Key as a header parameter; it
// does not declare If-Match, so the operations that answer 412 (precondition failed) are the ones that
// honour it. Both lists are derived from the generated types at compile time; the runtime tables below
// must name exactly those operations (`satisfies Record<…>`: none missing, none extra) or `tsc` fails,
// so an operation added to the document cannot be missed.

type Defined<T> = [T] extends [never] ? never : [T] extends [undefined] ? never : T;

/** "POST /api/v1/patients" and the like: every POST whose parameters include the Idempotency-Key header. */
export type IdempotentOperation = {
  [P in keyof paths]: Defined<paths[P]["post"]> extends { parameters: { header?: infer H } }
    ? [Defined<H>] extends [never]
      ? never
      : "Idempotency-Key" extends keyof Defined<H>
        ? `POST ${P}`
        : never
    : never;
}[keyof paths];

/** "PUT /api/v1/patients/{id}" and the like: every operation that may answer 412. */
export type PreconditionedOperation = {
  [P in keyof paths]: {
    [M in Method]: Defined<paths[P][M]> extends { responses: infer R }
      ? [Defined<R>] extends [never]
        ? never
        : 412 extends keyof R
          ? `${Uppercase<M>} ${P}`
          : never
      : never;
  }[Method];
}[keyof paths];

const idempotentOperations = {
  "POST /api/v1/patients": true,
  "POST /api/v1/patients/{patientId}/plans": true,
  "POST /api/v1/patients/{patientId}/sessions": true,
  "POST /api/v1/patients/{patientId}/assessments": true,
  "POST /api/v1/patients/{patientId}/shares": true,
  "POST /api/v1/sessions/{sessionId}/doses": true,
  "POST /api/v1/sessions/{sessionId}/waste": true,
  "POST /api/v1/sessions/{sessionId}/observations": true,
  "POST /api/v1/sessions/{sessionId}/adverse-events": true,
  "POST /api/v1/sites": true,
  "POST /api/v1/stock/receipts": true,
  "POST /api/v1/stock/lots/{lotId}/disposals": true,
  "POST /api/v1/stock/lots/{lotId}/counts": true,
  "POST /api/v1/webhooks/subscriptions": true,
} as const satisfies Record<IdempotentOperation, true>;

/**
 * Where the ETag of the changed resource lives: the request's own path (`self`: PUT or PATCH of the
 * resource) or its parent (`parent`: an action such as `/plans/{planId}/discontinue` on `/plans/{planId}`).
 */
const preconditionedOperations = {
  "PUT /api/v1/patients/{id}": "self",
  "POST /api/v1/patients/{id}/archive": "parent",
  "POST /api/v1/patients/{patientId}/move": "parent",
  "PATCH /api/v1/clinicians/{id}": "self",
  "PATCH /api/v1/sites/{siteId}": "self",
  "POST /api/v1/plans/{planId}/discontinue": "parent",
  "POST /api/v1/plans/{planId}/complete": "parent",
  "PATCH /api/v1/webhooks/subscriptions/{subscriptionId}": "self",
} as const satisfies Record<PreconditionedOperation, "self" | "parent">;

function isKeyOf<T extends object>(table: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(table, key);
}

// ---------------------------------------------------------------------------------------------------
// ETags

/** ETags by resource path. A strong tag as the API sends it, quotes included (`"3"`, `"3-abc…"`). */
export class EtagStore {
  private readonly tags = new Map<string, string>();

  get(path: string): string | undefined {
    return this.tags.get(normalizePath(path));
  }

  set(path: string, etag: string): void {
    this.tags.set(normalizePath(path), etag);
  }

  delete(path: string): void {
    this.tags.delete(normalizePath(path));
  }
}

function normalizePath(path: string): string {
  const pathname = path.startsWith("/") ? path.split("?")[0] ?? path : new URL(path).pathname;
  return pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
}

function parentPath(pathname: string): string {
  const cut = pathname.lastIndexOf("/");
  return cut > 0 ? pathname.slice(0, cut) : pathname;
}

// ---------------------------------------------------------------------------------------------------
// Problems

/** The members every ClinicTracker problem has (docs/api.md, Conventions). */
const standardMembers = new Set(["type", "title", "status", "detail", "instance", "code", "traceId", "errors"]);

/**
 * An `application/problem+json` answer (RFC 9457). `Code` is the type the document gives `code` for the
 * operation: a union of the codes when the document lists them, else `string`.
 */
export class ApiProblem<Code extends string = string> extends Error {
  override readonly name = "ApiProblem";
  readonly status: number;
  readonly code: Code;
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly traceId: string | undefined;
  /** Messages per field, for a 400 `validation` problem; empty otherwise. */
  readonly errors: Readonly<Record<string, readonly string[]>>;
  /** The rule's extra members (`warnings`, `notAccepted`, `totalMg`, `missing`, …), exactly as sent. */
  readonly members: Readonly<Record<string, unknown>>;
  readonly response: Response;

  constructor(response: Response, code: Code, body: unknown) {
    const record = isRecord(body) ? body : {};
    const title = typeof record["title"] === "string" ? record["title"] : response.statusText;
    const detail = typeof record["detail"] === "string" ? record["detail"] : "";
    super(`${response.status} ${code}: ${detail || title}`);
    this.response = response;
    this.code = code;
    this.status = typeof record["status"] === "number" ? record["status"] : response.status;
    this.type = typeof record["type"] === "string" ? record["type"] : "about:blank";
    this.title = title;
    this.detail = detail;
    this.traceId = typeof record["traceId"] === "string" ? record["traceId"] : undefined;
    this.errors = readErrors(record["errors"]);
    const members: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (!standardMembers.has(key)) members[key] = value;
    }
    this.members = members;
  }

  /** One extra member, or undefined. */
  member(name: string): unknown {
    return this.members[name];
  }
}

export function isApiProblem(value: unknown): value is ApiProblem {
  return value instanceof ApiProblem;
}

function readErrors(value: unknown): Record<string, readonly string[]> {
  const errors: Record<string, readonly string[]> = {};
  if (!isRecord(value)) return errors;
  for (const [field, messages] of Object.entries(value)) {
    if (Array.isArray(messages)) errors[field] = messages.filter((m): m is string => typeof m === "string");
  }
  return errors;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What an openapi-fetch call resolves to. */
export type Result<D, E> =
  | { data: D; error?: never; response: Response }
  | { data?: never; error: E; response: Response };

/** The code type of a problem body: the document's enum when it has one, else string. */
export type ProblemCode<E> = E extends { code: infer C extends string } ? C : string;

/** The data of a successful call; a problem answer is thrown as ApiProblem. */
export function unwrap<D, E>(result: Result<D, E>): D {
  const { data, error, response } = result;
  if (error !== undefined || !response.ok) throw problemFrom(response, error);
  // Every success of this API carries a body; a 304 (If-None-Match) has none and is not a success here.
  if (data === undefined) throw new Error(`${response.status} ${response.url}: no body`);
  return data;
}

/** The problem of a call that was expected to be refused; throws if it succeeded. */
export function problemOf<D, E>(result: Result<D, E>): ApiProblem<ProblemCode<E>> {
  if (result.error === undefined) {
    throw new Error(`expected a problem, got ${result.response.status} ${result.response.url}`);
  }
  return problemFrom(result.response, result.error);
}

function problemFrom<E>(response: Response, error: E): ApiProblem<ProblemCode<E>> {
  return new ApiProblem(response, codeOf(error), error);
}

function codeOf<E>(error: E): ProblemCode<E>;
function codeOf(error: unknown): string {
  return isRecord(error) && typeof error["code"] === "string" ? error["code"] : "unknown";
}

// ---------------------------------------------------------------------------------------------------
// The client

export interface ClinicClientOptions {
  baseUrl: string;
  /** A bearer token, or a function that returns the current one (called for every request). */
  token: string | (() => string | Promise<string>);
  /** Replaces globalThis.fetch (tests, proxies). */
  fetch?: ClientOptions["fetch"];
  /** Further middleware, run after this client's own (e.g. a contract check). */
  middleware?: readonly Middleware[];
  /** Share an ETag store between clients (several users editing the same records). */
  etags?: EtagStore;
}

export function createClinicClient(options: ClinicClientOptions): ClinicClient {
  const etags = options.etags ?? new EtagStore();
  const clientOptions: ClientOptions = { baseUrl: options.baseUrl };
  if (options.fetch !== undefined) clientOptions.fetch = options.fetch;
  const client = createClient<paths>(clientOptions);

  const token = options.token;
  const middleware: Middleware = {
    async onRequest({ request, schemaPath }) {
      const value = typeof token === "string" ? token : await token();
      request.headers.set("Authorization", `Bearer ${value}`);
      const operation = `${request.method.toUpperCase()} ${schemaPath}`;
      if (isKeyOf(idempotentOperations, operation) && !request.headers.has("Idempotency-Key")) {
        request.headers.set("Idempotency-Key", randomUUID());
      }
      if (isKeyOf(preconditionedOperations, operation) && !request.headers.has("If-Match")) {
        const pathname = new URL(request.url).pathname;
        const resource = preconditionedOperations[operation] === "self" ? pathname : parentPath(pathname);
        const etag = etags.get(resource);
        if (etag !== undefined) request.headers.set("If-Match", etag);
      }
      return request;
    },
    onResponse({ request, response }) {
      const etag = response.headers.get("ETag");
      if (etag === null || !response.ok) return undefined;
      const pathname = new URL(request.url).pathname;
      const location = response.headers.get("Location");
      if (response.status === 201 && location !== null) {
        etags.set(new URL(location, request.url).pathname, etag);
      } else if (request.method === "POST") {
        // An action (`/sessions/{id}/check-in`, `/plans/{id}/discontinue`) answers with its resource.
        etags.set(parentPath(pathname), etag);
      } else {
        etags.set(pathname, etag);
      }
      return undefined;
    },
  };
  client.use(middleware, ...(options.middleware ?? []));
  return Object.assign(client, { etags });
}

// ---------------------------------------------------------------------------------------------------
// Retries

export interface RetryOptions {
  /** Attempts in all, the first included (default 3). */
  attempts?: number;
  /** Milliseconds before the second attempt, doubled after each (default 200). */
  delayMs?: number;
  /** Whether an answer is worth another attempt with the same key (default: a 503). */
  retryOn?: (response: Response) => boolean;
}

/**
 * Sends a creating POST and, when no answer arrived (the fetch threw) or the answer says to try again
 * (503), sends it again with the same Idempotency-Key: the API then stores the record once and answers
 * every attempt with the first answer (`Idempotent-Replayed: true`). `send` must send the same request
 * each time, passing the key as the `Idempotency-Key` header.
 */
export async function withRetries<R extends { response: Response }>(
  send: (idempotencyKey: string) => Promise<R>,
  options: RetryOptions & { idempotencyKey?: string } = {},
): Promise<R> {
  const key = options.idempotencyKey ?? randomUUID();
  const attempts = Math.max(1, options.attempts ?? 3);
  const retryOn = options.retryOn ?? ((response: Response) => response.status === 503);
  let delay = options.delayMs ?? 200;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const result = await send(key);
      if (attempt === attempts || !retryOn(result.response)) return result;
      const retryAfter = Number(result.response.headers.get("Retry-After"));
      if (Number.isFinite(retryAfter) && retryAfter > 0) delay = Math.max(delay, retryAfter * 1000);
    } catch (error) {
      lastError = error;
      if (attempt === attempts) break;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay *= 2;
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
