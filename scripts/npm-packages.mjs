#!/usr/bin/env node
// Writes the npm packages' folders, every package.json generated from Cargo.toml's [package]
// (version, description, repository), so that a release changes one file.
//
//   node scripts/npm-packages.mjs launcher OUTDIR
//       OUTDIR/forcelint: the `forcelint` package (the launcher, npm/forcelint/bin/forcelint.js)
//   node scripts/npm-packages.mjs platform RUST_TARGET BINARY OUTDIR
//       OUTDIR/cli-<os>-<arch>[-musl]: the package holding BINARY, built for RUST_TARGET
//   node scripts/npm-packages.mjs targets
//       the Rust targets, one a line, with their package names
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Rust target → the platform package's name suffix and npm's `os`, `cpu`, `libc`. */
export const PLATFORMS = {
  "x86_64-unknown-linux-gnu": { name: "linux-x64", os: "linux", cpu: "x64", libc: "glibc" },
  "aarch64-unknown-linux-gnu": { name: "linux-arm64", os: "linux", cpu: "arm64", libc: "glibc" },
  "x86_64-unknown-linux-musl": { name: "linux-x64-musl", os: "linux", cpu: "x64", libc: "musl" },
  "aarch64-unknown-linux-musl": { name: "linux-arm64-musl", os: "linux", cpu: "arm64", libc: "musl" },
  "x86_64-apple-darwin": { name: "darwin-x64", os: "darwin", cpu: "x64" },
  "aarch64-apple-darwin": { name: "darwin-arm64", os: "darwin", cpu: "arm64" },
  "x86_64-pc-windows-msvc": { name: "win32-x64", os: "win32", cpu: "x64" },
  "aarch64-pc-windows-msvc": { name: "win32-arm64", os: "win32", cpu: "arm64" },
};

/** The string fields of Cargo.toml's [package] table. */
function cargoPackage() {
  const text = readFileSync(join(root, "Cargo.toml"), "utf8");
  const table = text.split(/^\[/m).find((t) => t.startsWith("package]"));
  const fields = {};
  for (const match of table.matchAll(/^([a-z-]+)\s*=\s*"([^"]*)"\s*$/gm)) fields[match[1]] = match[2];
  for (const key of ["version", "description", "repository"]) {
    if (!fields[key]) throw new Error(`Cargo.toml: [package] has no ${key}`);
  }
  return fields;
}

function common(cargo) {
  return {
    version: cargo.version,
    description: cargo.description,
    homepage: `${cargo.repository}#readme`,
    repository: { type: "git", url: `git+${cargo.repository}.git` },
    bugs: { url: `${cargo.repository}/issues` },
    keywords: ["salesforce", "sfdx", "connected-app", "oauth", "linter"],
    ...(cargo.license ? { license: cargo.license } : {}),
  };
}

function write(dir, manifest, readme) {
  mkdirSync(join(dir, "bin"), { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, "README.md"), readme);
}

function launcher(out) {
  const cargo = cargoPackage();
  const optionalDependencies = {};
  for (const { name } of Object.values(PLATFORMS)) optionalDependencies[`@forcelint/cli-${name}`] = cargo.version;
  const dir = join(out, "forcelint");
  write(
    dir,
    {
      name: "forcelint",
      ...common(cargo),
      bin: { forcelint: "bin/forcelint.js" },
      files: ["bin/forcelint.js"],
      engines: { node: ">=18" },
      optionalDependencies,
    },
    `# forcelint\n\n${cargo.description}.\n\n` +
      "```sh\nnpm install --save-dev forcelint\nnpx forcelint check\n```\n\n" +
      `The binary comes from the platform package npm installs with it (\`@forcelint/cli-*\`).\n` +
      `Set \`FORCELINT_BINARY\` to use another binary. Documentation: ${cargo.repository}\n`,
  );
  const script = join(dir, "bin", "forcelint.js");
  copyFileSync(join(root, "npm", "forcelint", "bin", "forcelint.js"), script);
  chmodSync(script, 0o755);
  return dir;
}

function platform(target, binary, out) {
  const cargo = cargoPackage();
  const p = PLATFORMS[target];
  if (!p) throw new Error(`unknown Rust target ${target}; known: ${Object.keys(PLATFORMS).join(", ")}`);
  const exe = p.os === "win32" ? "forcelint.exe" : "forcelint";
  const dir = join(out, `cli-${p.name}`);
  write(
    dir,
    {
      name: `@forcelint/cli-${p.name}`,
      ...common(cargo),
      description: `The forcelint binary for ${p.name} (${target}); install \`forcelint\`, which uses it.`,
      files: [`bin/${exe}`],
      os: [p.os],
      cpu: [p.cpu],
      ...(p.libc ? { libc: [p.libc] } : {}),
      preferUnplugged: true,
    },
    `# @forcelint/cli-${p.name}\n\nThe forcelint binary for ${target}. Install \`forcelint\` instead: ${cargo.repository}\n`,
  );
  copyFileSync(binary, join(dir, "bin", exe));
  chmodSync(join(dir, "bin", exe), 0o755);
  return dir;
}

const [command, ...args] = process.argv.slice(2);
if (command === "launcher" && args.length === 1) {
  console.log(launcher(args[0]));
} else if (command === "platform" && args.length === 3) {
  console.log(platform(...args));
} else if (command === "targets" && args.length === 0) {
  for (const [target, { name }] of Object.entries(PLATFORMS)) console.log(`${target}\t@forcelint/cli-${name}`);
} else {
  console.error(
    "usage: npm-packages.mjs launcher OUTDIR | platform RUST_TARGET BINARY OUTDIR | targets",
  );
  process.exit(2);
}
