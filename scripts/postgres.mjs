#!/usr/bin/env node
// A private PostgreSQL cluster for tests, benchmarks and CI: Debian's server
// binaries, a data directory under the system's temporary folder, listening on
// loopback only, trust authentication, fsync off (nothing leaves the machine,
// and nothing in it needs to survive a crash). Not for production.
//
//   node scripts/postgres.mjs start   # prints the DATABASE_URL to use
//   node scripts/postgres.mjs stop
//   node scripts/postgres.mjs url
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
// One cluster per checkout, outside it: the server runs as the postgres user,
// who may not be allowed into the checkout (a clone under /root in CI).
const checkout = createHash("sha256").update(root).digest("hex");
const base = path.join(os.tmpdir(), `membercare-postgres-${checkout.slice(0, 10)}`);
const dataDir = path.join(base, "data");
const socketDir = path.join(base, "socket");
// A port per checkout too, so two checkouts' test runs never meet.
const port = Number(process.env.MEMBERCARE_PG_PORT ?? 5433 + (parseInt(checkout.slice(0, 4), 16) % 500));
export const DATABASE = "membercare";
export const postgresUrl = (database = DATABASE) => `postgresql://postgres@127.0.0.1:${port}/${database}`;

function binDir() {
  const versions = fs.existsSync("/usr/lib/postgresql") ? fs.readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (fs.existsSync(path.join(dir, "pg_ctl"))) return dir;
  }
  throw new Error("PostgreSQL server binaries not found: apt-get install -y postgresql");
}

/** Runs a server binary as the postgres user when we are root (initdb refuses root). */
function asPostgres(binary, args, options = {}) {
  const command = path.join(binDir(), binary);
  if (process.getuid?.() === 0) return execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { stdio: "pipe", ...options });
  return execFileSync(command, args, { stdio: "pipe", ...options });
}

function running() {
  try {
    asPostgres("pg_ctl", ["-D", dataDir, "status"]);
    return true;
  } catch {
    return false;
  }
}

export function startPostgres() {
  fs.mkdirSync(socketDir, { recursive: true });
  if (process.getuid?.() === 0) execFileSync("chown", ["-R", "postgres:postgres", base]);
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    asPostgres("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"]);
  }
  if (!running()) {
    asPostgres("pg_ctl", ["-D", dataDir, "-l", path.join(base, "server.log"), "-w", "-o", `-c listen_addresses=127.0.0.1 -p ${port} -k ${socketDir} -c fsync=off -c max_connections=200`, "start"]);
  }
  const exists = asPostgres("psql", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-tAc", `SELECT 1 FROM pg_database WHERE datname = '${DATABASE}'`]).toString().trim();
  if (exists !== "1") asPostgres("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", DATABASE]);
  return postgresUrl();
}

export function stopPostgres() {
  if (fs.existsSync(path.join(dataDir, "PG_VERSION")) && running()) asPostgres("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
}

if (process.argv[1] === import.meta.filename) {
  const command = process.argv[2];
  if (command === "start") console.log(startPostgres());
  else if (command === "stop") stopPostgres();
  else if (command === "url") console.log(postgresUrl());
  else {
    console.error("node scripts/postgres.mjs start|stop|url");
    process.exit(2);
  }
}
