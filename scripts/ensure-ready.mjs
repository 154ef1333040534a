#!/usr/bin/env node
// Makes a fresh clone runnable with no other step: installs dependencies (which
// bring Node 22 as the `node` devDependency), generates the Prisma client,
// applies migrations to the embedded database and builds the server when its
// sources changed. Each step is skipped when its inputs are unchanged, so the
// common case costs a few stat calls.
//
// It runs under whatever Node is first on PATH (the machine's Node 20 on a fresh
// clone), so it uses nothing newer than Node 20 and no dependencies.
//
// Flags: --no-build (skip the Remix build), --quiet (print nothing on success).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = new Set(process.argv.slice(2));
const quiet = args.has("--quiet");
const stampDir = path.join(root, "node_modules", ".membercare");

function log(message) {
  if (!quiet) console.error(`[setup] ${message}`);
}

function run(command, commandArgs, extraEnv = {}) {
  execFileSync(command, commandArgs, {
    cwd: root,
    stdio: quiet ? ["ignore", "ignore", "inherit"] : "inherit",
    env: { ...process.env, ...extraEnv },
  });
}

function hashOf(files) {
  const hash = createHash("sha256");
  for (const file of files) {
    const full = path.join(root, file);
    hash.update(file);
    if (fs.existsSync(full)) {
      if (fs.statSync(full).isDirectory()) {
        for (const child of listFiles(full)) {
          hash.update(path.relative(root, child));
          hash.update(fs.readFileSync(child));
        }
      } else {
        hash.update(fs.readFileSync(full));
      }
    }
  }
  return hash.digest("hex");
}

function listFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

function stampMatches(name, value) {
  const file = path.join(stampDir, name);
  return fs.existsSync(file) && fs.readFileSync(file, "utf8") === value;
}

function writeStamp(name, value) {
  fs.mkdirSync(stampDir, { recursive: true });
  fs.writeFileSync(path.join(stampDir, name), value);
}

const bin = (name) => path.join(root, "node_modules", ".bin", name);

// 1. Dependencies.
const lockHash = hashOf(["package-lock.json"]);
if (!fs.existsSync(bin("node")) || !stampMatches("lock", lockHash)) {
  log("installing dependencies (npm ci)...");
  run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
  writeStamp("lock", lockHash);
}

// From here on, use the project's Node 22 for every tool.
const node = bin("node");
const nodeEnv = { PATH: `${path.join(root, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}` };

// 2. Prisma clients: SQLite's from prisma/schema.prisma, PostgreSQL's from its
// derived twin (scripts/postgres-schema.mjs keeps it in step).
run(node, [path.join(root, "scripts", "postgres-schema.mjs")], nodeEnv);
const schemaHash = hashOf(["prisma/schema.prisma", "prisma/postgres/schema.prisma"]);
const generated = [".prisma/client", "@membercare/postgres-client"].every((dir) => fs.existsSync(path.join(root, "node_modules", dir, "index.js")));
if (!stampMatches("prisma-client", schemaHash) || !generated) {
  log("generating the Prisma clients (SQLite and PostgreSQL)...");
  run(node, [bin("prisma"), "generate"], nodeEnv);
  run(node, [bin("prisma"), "generate", "--schema", "prisma/postgres/schema.prisma"], nodeEnv);
  writeStamp("prisma-client", schemaHash);
}

// 3. Migrations on the configured (or default embedded) database.
const databaseUrl = process.env.DATABASE_URL || "file:./prisma/dev.sqlite";
const postgres = /^postgres(ql)?:\/\//.test(databaseUrl);
const migrationsHash = hashOf([postgres ? "prisma/postgres/migrations" : "prisma/migrations"]) + databaseUrl;
const dbFile = databaseUrl.startsWith("file:") ? path.resolve(root, databaseUrl.slice(5)) : null;
if (!stampMatches("migrations", migrationsHash) || (dbFile && !fs.existsSync(dbFile))) {
  log(`applying migrations to ${databaseUrl}...`);
  if (postgres) run(node, [path.join(root, "scripts", "migrate-postgres.mjs")], nodeEnv);
  else run(node, [bin("prisma"), "migrate", "deploy"], nodeEnv);
  writeStamp("migrations", migrationsHash);
}

// 4. Server build.
if (!args.has("--no-build")) {
  const buildHash = hashOf(["app", "remix.config.js", "package-lock.json", "server.mjs"]);
  if (!stampMatches("build", buildHash) || !fs.existsSync(path.join(root, "build", "index.js"))) {
    log("building the app (remix build)...");
    run(node, [bin("remix"), "build"], nodeEnv);
    writeStamp("build", buildHash);
  }
}
