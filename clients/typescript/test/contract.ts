// Checks every response the client receives against the schema the served OpenAPI document declares
// for its operation, status and media type (JSON Schema 2020-12, as OpenAPI 3.1 defines it).
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { Middleware } from "openapi-fetch";
import { isRecord } from "../src/index.js";

export interface Violation {
  operation: string;
  status: number;
  message: string;
}

/** The `format`s OpenAPI adds to JSON Schema's, checked as their names say. */
const openApiFormats = {
  int32: { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
  int64: { type: "number", validate: (n: number) => Number.isInteger(n) },
  float: { type: "number", validate: (n: number) => Number.isFinite(n) },
  double: { type: "number", validate: (n: number) => Number.isFinite(n) },
} as const;

const componentsId = "urn:clinictracker:components";

function retarget(schema: Record<string, unknown>): Record<string, unknown> {
  const text = JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${componentsId}#/$defs/`);
  const copy: unknown = JSON.parse(text);
  if (!isRecord(copy)) throw new Error("a schema must be an object");
  return copy;
}

export class Contract {
  readonly violations: Violation[] = [];
  /** How many responses were checked against a schema, by operation. */
  readonly checked = new Map<string, number>();
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(private readonly document: Record<string, unknown>) {
    // strict: an unknown keyword or format in the document is an error, not silently ignored.
    this.ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: true });
    // ajv-formats is CommonJS; its default export arrives as the module object under NodeNext.
    const addFormats = "default" in addFormatsModule ? addFormatsModule.default : addFormatsModule;
    addFormats(this.ajv);
    for (const [name, format] of Object.entries(openApiFormats)) this.ajv.addFormat(name, format);
    // The component schemas become the $defs of one schema; every `#/components/schemas/X` reference
    // (in the components and in the operations) is pointed there.
    const schemas = isRecord(document["components"]) ? document["components"]["schemas"] : undefined;
    this.ajv.addSchema({ $id: componentsId, $defs: retarget(isRecord(schemas) ? schemas : {}) });
  }

  static async load(baseUrl: string): Promise<Contract> {
    const response = await fetch(new URL("/swagger/v1/swagger.json", baseUrl));
    if (!response.ok) throw new Error(`the OpenAPI document answered ${response.status}`);
    const document: unknown = await response.json();
    if (!isRecord(document) || document["openapi"] !== "3.1.1") throw new Error("not an OpenAPI 3.1.1 document");
    return new Contract(document);
  }

  /** The schema the document declares for this answer, or a reason why there is none. */
  private validatorFor(schemaPath: string, method: string, status: number, mediaType: string): ValidateFunction | string {
    const key = `${method} ${schemaPath} ${status} ${mediaType}`;
    const known = this.validators.get(key);
    if (known) return known;
    const pathItem = isRecord(this.document["paths"]) ? this.document["paths"][schemaPath] : undefined;
    const operation = isRecord(pathItem) ? pathItem[method] : undefined;
    const responses = isRecord(operation) ? operation["responses"] : undefined;
    if (!isRecord(responses)) return `the document has no operation ${method.toUpperCase()} ${schemaPath}`;
    const declared = responses[String(status)] ?? responses["default"];
    if (!isRecord(declared)) return `status ${status} is not declared (declared: ${Object.keys(responses).join(", ")})`;
    const content = declared["content"];
    if (!isRecord(content)) return `status ${status} is declared without content but a body came`;
    const media = content[mediaType];
    if (!isRecord(media) || !isRecord(media["schema"])) {
      return `status ${status} is declared as ${Object.keys(content).join(", ")}, not ${mediaType}`;
    }
    // References point into the document's components: resolve them through the schema added above.
    const validate = this.ajv.compile(retarget(media["schema"]));
    this.validators.set(key, validate);
    return validate;
  }

  /** Why this answer does not match the document, or undefined when it does. Records nothing. */
  mismatch(schemaPath: string, method: string, status: number, contentType: string | null, body: unknown): string | undefined {
    const mediaType = (contentType ?? "").split(";")[0]?.trim() ?? "";
    const validate = this.validatorFor(schemaPath, method.toLowerCase(), status, mediaType);
    if (typeof validate === "string") return validate;
    if (validate(body)) return undefined;
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
    return `body does not match its schema: ${errors.join("; ")}`;
  }

  /** Validates one answer; returns the violation, if any, and records it. */
  check(schemaPath: string, method: string, status: number, contentType: string | null, body: unknown): Violation | undefined {
    const operation = `${method.toUpperCase()} ${schemaPath}`;
    const message = this.mismatch(schemaPath, method, status, contentType, body);
    this.checked.set(operation, (this.checked.get(operation) ?? 0) + 1);
    if (message === undefined) return undefined;
    const violation = { operation, status, message };
    this.violations.push(violation);
    return violation;
  }

  /**
   * Middleware that checks every answer with a body. A mismatch makes the call reject, so the test that
   * made it fails where it happened; `violations` keeps them for a summary.
   */
  middleware(): Middleware {
    return {
      onResponse: async ({ request, response, schemaPath }) => {
        if (response.status === 304 || response.headers.get("Content-Length") === "0") return undefined;
        const text = await response.clone().text();
        if (text === "") return undefined;
        const body: unknown = JSON.parse(text);
        const violation = this.check(schemaPath, request.method, response.status, response.headers.get("Content-Type"), body);
        if (violation) throw new Error(`contract: ${violation.operation} ${violation.status}: ${violation.message}`);
        return undefined;
      },
    };
  }
}
