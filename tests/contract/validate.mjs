// Validates the served OpenAPI document against the OpenAPI Specification's own JSON Schema (3.1 here),
// with @seriousme/openapi-schema-validator: a document a code generator or gateway would refuse fails CI.
import { Validator } from "@seriousme/openapi-schema-validator";

const url = `${process.env.CLINICTRACKER_API_URL ?? "http://127.0.0.1:5080"}/swagger/v1/swagger.json`;
const response = await fetch(url);
if (!response.ok) {
  console.error(`validate: GET ${url} answered ${response.status}`);
  process.exit(1);
}

const document = await response.json();
const validator = new Validator();
const result = await validator.validate(document);
if (!result.valid) {
  console.error(`validate: the document is not valid OpenAPI ${validator.version}:`);
  console.error(JSON.stringify(result.errors, null, 2).slice(0, 4000));
  process.exit(1);
}

const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
console.log(`validate: valid OpenAPI ${validator.version} (${document.openapi}), ${operations} operations, ${Object.keys(document.components.schemas).length} schemas`);
