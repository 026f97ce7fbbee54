export {
  ApiProblem,
  EtagStore,
  createClinicClient,
  isApiProblem,
  isRecord,
  problemOf,
  unwrap,
  withRetries,
  type ClinicClient,
  type ClinicClientOptions,
  type ClinicPaths,
  type IdempotentOperation,
  type PreconditionedOperation,
  type ProblemCode,
  type Result,
  type RetryOptions,
} from "./client.js";
export type { components, operations, paths } from "./schema.js";

import type { components } from "./schema.js";
/** A schema of the document by name: `Schema<"PatientResponse">`. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];
