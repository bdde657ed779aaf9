// What jsonld.js makes of a JSON-LD file: `node jsonld.mjs nquads FILE MODE` prints N-Quads,
// `node jsonld.mjs frame FILE MODE FRAME` prints the framed document as JSON. MODE is
// json-ld-1.0 or json-ld-1.1. Safe mode: a key or value that would be dropped is an error.
// No network: every remote document (context, frame) is refused.
import { readFileSync } from "node:fs";
import jsonld from "jsonld";

const [op, file, mode, frameFile] = process.argv.slice(2);
const read = (path) => JSON.parse(readFileSync(path, "utf8"));
const documentLoader = async (url) => {
  throw new Error(`refused to load ${url}: the exports must not need the network`);
};
const options = { documentLoader, processingMode: mode, safe: true };

try {
  let out;
  if (op === "nquads") {
    out = await jsonld.toRDF(read(file), { ...options, format: "application/n-quads" });
  } else if (op === "frame") {
    out = JSON.stringify(await jsonld.frame(read(file), read(frameFile), options), null, 1) + "\n";
  } else {
    throw new Error(`unknown operation ${op}: expected nquads or frame`);
  }
  process.stdout.write(out);
} catch (err) {
  process.stderr.write(`${err.name}: ${err.message}\n${JSON.stringify(err.details ?? {})}\n`);
  process.exit(1);
}
