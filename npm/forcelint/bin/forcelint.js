#!/usr/bin/env node
// The `forcelint` command of the npm package: runs the binary of the platform package that npm
// installed as an optional dependency (@forcelint/cli-<os>-<arch>[-musl]). No install script, no
// download: npm picks the package by its `os`, `cpu` and `libc` fields.
"use strict";

const { spawn } = require("node:child_process");
const manifest = require("../package.json");

const OVERRIDE = "FORCELINT_BINARY";
const exe = process.platform === "win32" ? "forcelint.exe" : "forcelint";

function isMusl() {
  if (process.platform !== "linux") return false;
  try {
    // Node reports the glibc it runs on; there is none on musl (Alpine).
    const report = process.report.getReport();
    const header = (typeof report === "string" ? JSON.parse(report) : report).header;
    return !header.glibcVersionRuntime;
  } catch {
    return false;
  }
}

/** The platform packages to look for, best first. */
function candidates() {
  const base = `@forcelint/cli-${process.platform}-${process.arch}`;
  if (process.platform !== "linux") return [base];
  // The musl builds are static, so they also run where glibc is.
  return isMusl() ? [`${base}-musl`] : [base, `${base}-musl`];
}

function fail(message) {
  process.stderr.write(`forcelint: ${message}\n`);
  process.exit(2);
}

function binaryPath() {
  const override = process.env[OVERRIDE];
  if (override) return override;
  const wanted = candidates();
  for (const pkg of wanted) {
    try {
      return require.resolve(`${pkg}/bin/${exe}`);
    } catch {
      // not installed: try the next one
    }
  }
  const published = Object.keys(manifest.optionalDependencies || {});
  const platform = `${process.platform}-${process.arch}${isMusl() ? " (musl)" : ""}`;
  if (!wanted.some((pkg) => published.includes(pkg))) {
    fail(
      `no forcelint binary is published for ${platform}.\n` +
        `Build it from source: cargo install --locked --git ${manifest.repository.url.replace(/^git\+/, "")} forcelint\n` +
        `and set ${OVERRIDE} to its path.`,
    );
  }
  fail(
    `the package ${wanted[0]} is not installed, so there is no forcelint binary for ${platform}.\n` +
      "npm installs it with forcelint as an optional dependency; it is left out when optional\n" +
      "dependencies are omitted (--omit=optional, --no-optional) or node_modules was installed on\n" +
      "another platform. Reinstall with optional dependencies:\n" +
      `  npm install --include=optional --save-dev forcelint@${manifest.version}\n` +
      `or add it yourself: npm install --save-dev ${wanted[0]}@${manifest.version}\n` +
      `or set ${OVERRIDE} to a forcelint binary.`,
  );
}

const binary = binaryPath();
const child = spawn(binary, process.argv.slice(2), { stdio: "inherit", windowsHide: true });

// Signals sent to this process go to forcelint; its exit status, or the signal that ended it,
// becomes ours.
const forwarded = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"].filter(
  (signal) => process.platform !== "win32" || signal === "SIGINT",
);
const forward = (signal) => child.kill(signal);
for (const signal of forwarded) process.on(signal, forward);

child.on("error", (error) => fail(`cannot run ${binary}: ${error.message}`));
child.on("exit", (code, signal) => {
  for (const s of forwarded) process.removeListener(s, forward);
  if (signal) {
    process.kill(process.pid, signal);
    return;
  }
  process.exitCode = code;
});
