// Validate AsyncAPI documents with @asyncapi/parser; prints one JSON line per file and
// exits 1 when any document has an error-level diagnostic.
import { readFileSync } from "node:fs";
import { Parser } from "@asyncapi/parser";

const parser = new Parser();
let failed = false;
for (const file of process.argv.slice(2)) {
  const { document, diagnostics } = await parser.parse(readFileSync(file, "utf8"));
  const errors = diagnostics.filter((d) => d.severity === 0).map((d) => `${d.path.join(".")}: ${d.message}`);
  if (!document || errors.length) failed = true;
  console.log(JSON.stringify({ file, valid: Boolean(document) && errors.length === 0, errors }));
}
process.exit(failed ? 1 : 0);
