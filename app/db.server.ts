import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
// The same models generated for PostgreSQL (prisma/postgres/schema.prisma).
import { PrismaClient as PostgresPrismaClient } from "@membercare/postgres-client";
import { AsyncLocalStorage } from "node:async_hooks";
import type { Client, Config, InArgs, InStatement, InValue, ResultSet, Transaction, TransactionMode } from "@libsql/client";
import { LibsqlError } from "@libsql/client";
import { Sqlite3Client } from "@libsql/client/sqlite3";
import Database from "libsql";
import { isPostgresUrl, sqliteFileUrl } from "./db-url";

/**
 * Per-connection SQLite settings. WAL lets readers work while one writer writes.
 *
 * The busy timeout is short on purpose: libsql runs every statement synchronously
 * on the event loop, so SQLite's own busy handler (a sleep inside the statement)
 * would freeze the whole process (webhooks, /healthz, admin pages) for as long
 * as it waits. Waiting for another process's write lock is done instead by
 * `beginImmediate` below, asynchronously, for up to SQLITE_LOCK_WAIT_MS.
 */
const CONNECTION_PRAGMAS = [
  "PRAGMA journal_mode = WAL",
  "PRAGMA synchronous = NORMAL",
  "PRAGMA foreign_keys = ON",
  "PRAGMA secure_delete = ON", // erasure (issue 18): deleted content is zeroed in the file, not left in free pages
];

/**
 * How long a write waits for SQLite's write lock when another process (the
 * background jobs' child process, `npm run cli`, a migration, a `sqlite3`
 * shell) holds it: 10 s, SQLite's busy timeout before issue 18, now waited
 * asynchronously. Our own transactions last milliseconds, but on a loaded
 * machine several processes writing at once queue for the one lock well past
 * 2 s (a first cut of 2 s failed three app instances issuing rewards together
 * under CI load), and a refused admin write is an error a clerk sees. The
 * webhook acknowledgement does not wait this long: it has its own 1.5 s
 * deadline (withLockDeadline, ADR 0018); only when it is queued behind another
 * write of this process that is itself waiting can it answer later than
 * Shopify's 5 s, which Shopify retries like the 503.
 */
const configuredLockWait = Number(process.env.SQLITE_LOCK_WAIT_MS ?? 10_000);
// app/env.server.ts validates it; a process that never reads the environment there (a script) gets the default.
export const SQLITE_LOCK_WAIT_MS = Number.isFinite(configuredLockWait) && configuredLockWait >= 0 ? configuredLockWait : 10_000;
const LOCK_POLL_MS = 20;
/** SQLite's own busy wait on Prisma's connection: short, since it blocks the event loop (see CONNECTION_PRAGMAS). */
const BUSY_TIMEOUT_MS = 25;

/**
 * A tighter deadline for the writes of one piece of work (a webhook's
 * acknowledgement, the readiness probe): they fail fast with SQLITE_BUSY
 * instead of waiting the full SQLITE_LOCK_WAIT_MS. The deadline is a point in
 * time, so time spent queued behind another query counts.
 */
const lockDeadline = new AsyncLocalStorage<number>();
export function withLockDeadline<T>(ms: number, work: () => Promise<T>): Promise<T> {
  return lockDeadline.run(Date.now() + ms, work);
}

/**
 * Another process's writes first (ADR 0035). On the embedded default the web
 * process tells the background jobs' child, over IPC, while it writes a group
 * of webhook deliveries; the child's next write (a statement or transaction
 * about to take the write lock) waits until it is told the group is stored,
 * or WRITE_HOLD_MAX_MS, whichever is first, so a lost message can never stop
 * the jobs. Only the child is ever told to hold.
 */
const WRITE_HOLD_MAX_MS = 100;
let writeHold: { released: Promise<void>; release: () => void; maxMs: number } | undefined;

export function holdWrites(hold: boolean, maxMs = WRITE_HOLD_MAX_MS): void {
  if (hold && !writeHold) {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    writeHold = { released, release, maxMs };
  } else if (!hold && writeHold) {
    writeHold.release();
    writeHold = undefined;
  }
}

async function writesAllowed(): Promise<void> {
  if (!writeHold) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([writeHold.released, new Promise((resolve) => (timer = setTimeout(resolve, writeHold!.maxMs)))]);
  clearTimeout(timer);
}

const SQLITE_BUSY = 5;
const isBusy = (error: unknown) => ((error as { rawCode?: number })?.rawCode ?? -1) % 256 === SQLITE_BUSY;

/** A statement that only reads (its first keyword): everything else writes. */
const READ_ONLY = /^\s*(SELECT|PRAGMA|EXPLAIN|VALUES)\b/i;

/**
 * The SQLite connection under Prisma's libsql adapter.
 *
 * Why not libsql's client as it is: a prepared statement that fails with
 * SQLITE_BUSY is never reset by libsql (SQLite leaves a busy statement ready
 * to retry, and libsql keeps it until the garbage collector finalizes it). That
 * un-reset write statement keeps the connection "inside" a write: the next
 * read then opens a read snapshot that never closes. From then on every read
 * sees the database as it was (admin pages answer 200 with old data) and every
 * write fails with SQLITE_BUSY_SNAPSHOT, until the process restarts: the
 * wedge of issue 18, reproduced in tests/sqlite-lock.test.ts.
 *
 * So no prepared statement here ever waits for the write lock:
 * - every write outside a transaction runs inside BEGIN IMMEDIATE ... COMMIT,
 *   and every transaction starts with BEGIN IMMEDIATE (Prisma asks for a
 *   deferred one; a deferred transaction that read first cannot wait for the
 *   lock at all, and fails with SQLITE_BUSY_SNAPSHOT if another process wrote
 *   since its read);
 * - BEGIN, COMMIT and ROLLBACK go through `exec`, which finalizes its
 *   statement whatever happens; BEGIN IMMEDIATE is retried asynchronously
 *   until the deadline, so a locked file costs no event-loop time;
 * - with the write lock held, a statement cannot meet SQLITE_BUSY.
 * And should the connection still be found inside a transaction it did not
 * open, or a read fail with SQLITE_BUSY, it recovers by itself: it rolls back,
 * or replaces the connection.
 *
 * Transactions run on the client's own connection: libsql's transaction()
 * hands its connection to the transaction, opens a new one and never closes
 * the one it handed over (about 250 KB of native memory lost per transaction).
 * Prisma's adapter holds its lock from the start of a transaction to its end,
 * so nothing else runs on this client meanwhile.
 */
class SqliteConnection {
  #path: string;
  #busyTimeoutMs: number;
  #lockPollMs: number;
  #yields: boolean;
  #autocheckpointPages: number;
  #raw!: Database.Database;
  #client!: Sqlite3Client;
  #ours = false;
  #tuned: Promise<void> | null = null;

  /** `yields`: whether its writes wait while acknowledgements are written (holdWrites); the acknowledgement's own connection does not. */
  constructor(path: string, { busyTimeoutMs = BUSY_TIMEOUT_MS, lockPollMs = LOCK_POLL_MS, yields = true, autocheckpointPages = 1000 } = {}) {
    this.#path = path;
    this.#autocheckpointPages = autocheckpointPages;
    this.#busyTimeoutMs = busyTimeoutMs;
    this.#lockPollMs = lockPollMs;
    this.#yields = yields;
    this.#open();
  }

  #open() {
    this.#raw = new Database(this.#path);
    this.#client = new Sqlite3Client(this.#path, {}, this.#raw, "number");
    this.#ours = false;
    this.#tuned = null;
  }

  /** Drops a connection that may hold a stale snapshot and opens a fresh one. */
  #replace(reason: string) {
    console.warn(`[db] replacing the SQLite connection: ${reason}`);
    try {
      this.#raw.close();
    } catch {
      // Already unusable: the new connection is what matters.
    }
    this.#open();
  }

  async #ready() {
    this.#tuned ??= (async () => {
      const own = [`PRAGMA busy_timeout = ${this.#busyTimeoutMs}`, `PRAGMA wal_autocheckpoint = ${this.#autocheckpointPages}`];
      for (const pragma of [...CONNECTION_PRAGMAS, ...own]) await this.#client.execute(pragma);
    })();
    await this.#tuned;
    if (!this.#ours && this.#raw.inTransaction) {
      // Someone left a transaction open on this connection (a path that did
      // not end its transaction): roll it back rather than write inside it.
      console.warn("[db] the SQLite connection was inside a transaction it did not open: rolling it back");
      this.#raw.exec("ROLLBACK");
    }
  }

  async #beginImmediate() {
    if (this.#yields) await writesAllowed();
    const deadline = Math.min(Date.now() + SQLITE_LOCK_WAIT_MS, lockDeadline.getStore() ?? Infinity);
    for (;;) {
      try {
        this.#raw.exec("BEGIN IMMEDIATE");
        this.#ours = true;
        return;
      } catch (error) {
        if (!isBusy(error) || Date.now() >= deadline) {
          throw isBusy(error)
            ? new LibsqlError("database is locked by another process (write lock wait exceeded)", "SQLITE_BUSY", SQLITE_BUSY, error as Error)
            : error;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.#lockPollMs, Math.max(1, deadline - Date.now()))));
    }
  }

  #end(statement: "COMMIT" | "ROLLBACK") {
    this.#raw.exec(statement);
    this.#ours = false;
  }

  /** A statement on the connection, outside any transaction of ours. */
  async execute(statement: InStatement): Promise<ResultSet> {
    await this.#ready();
    const sql = typeof statement === "string" ? statement : statement.sql;
    if (READ_ONLY.test(sql)) {
      try {
        return await this.#client.execute(statement);
      } catch (error) {
        // A busy read may have left its statement un-reset: do not keep its snapshot.
        if (isBusy(error)) this.#replace(String((error as Error).message));
        throw error;
      }
    }
    await this.#beginImmediate();
    try {
      const result = await this.#client.execute(statement);
      this.#end("COMMIT");
      return result;
    } catch (error) {
      if (this.#raw.inTransaction) this.#end("ROLLBACK");
      this.#ours = false;
      throw error;
    }
  }

  async executeMultiple(sql: string): Promise<void> {
    await this.#ready();
    return this.#client.executeMultiple(sql);
  }

  async transaction(mode: TransactionMode = "write"): Promise<Transaction> {
    await this.#ready();
    if (mode === "read") {
      this.#raw.exec("BEGIN TRANSACTION READONLY");
      this.#ours = true;
    } else {
      await this.#beginImmediate();
    }
    const raw = this.#raw;
    let open = true;
    const live = () => {
      if (!open) throw new LibsqlError("The transaction is closed", "TRANSACTION_CLOSED");
    };
    const end = (statement: "COMMIT" | "ROLLBACK") => {
      // A connection replaced meanwhile has nothing of this transaction left.
      if (raw !== this.#raw || !raw.inTransaction) {
        open = false;
        if (raw === this.#raw) this.#ours = false;
        return;
      }
      this.#end(statement);
      open = false;
    };
    return {
      execute: async (statement: InStatement) => (live(), this.#client.execute(statement)),
      batch: async (statements: InStatement[]) => {
        live();
        const results = [];
        for (const statement of statements) results.push(await this.#client.execute(statement));
        return results;
      },
      executeMultiple: async (sql: string) => (live(), this.#client.executeMultiple(sql)),
      // Still open if COMMIT fails: the rollback that follows must end it.
      commit: async () => (live(), end("COMMIT")),
      rollback: async () => {
        if (open) end("ROLLBACK");
      },
      close: () => {
        if (open) end("ROLLBACK");
      },
      get closed() {
        return !open;
      },
    } as unknown as Transaction;
  }

  close() {
    this.#client.close();
  }
}

/** The connection as the libsql Client Prisma's adapter expects. */
function tunedClient(path: string): Client {
  const connection = new SqliteConnection(path);
  return {
    execute: (statement: InStatement, args?: InArgs) =>
      connection.execute(typeof statement === "string" && args ? { sql: statement, args } : statement),
    batch: async (statements: InStatement[]) => {
      const tx = await connection.transaction("write");
      try {
        const results = await tx.batch(statements);
        await tx.commit();
        return results;
      } finally {
        tx.close();
      }
    },
    executeMultiple: (sql: string) => connection.executeMultiple(sql),
    transaction: (mode?: TransactionMode) => connection.transaction(mode),
    close: () => connection.close(),
    closed: false,
    protocol: "file",
  } as unknown as Client;
}

class TunedPrismaLibSQL extends PrismaLibSQL {
  createClient(config: Config): Client {
    return tunedClient(config.url.replace(/^file:/, ""));
  }
}

export type Db = PrismaClient;

/**
 * The database client for DATABASE_URL: PostgreSQL for a postgres:// URL (the
 * scale path: many app instances and workers on one database), else the
 * embedded SQLite file. Both clients are generated from one schema, so the
 * SQLite client's types describe both (docs/decisions/0007-postgresql.md).
 */
export function createDb(databaseUrl = process.env.DATABASE_URL): PrismaClient {
  if (isPostgresUrl(databaseUrl)) {
    const max = Number(process.env.DATABASE_POOL_SIZE ?? 10);
    const client = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max }) });
    return client as unknown as PrismaClient;
  }
  return new PrismaClient({ adapter: new TunedPrismaLibSQL({ url: sqliteFileUrl(databaseUrl) }) });
}

/** Which database this process talks to: raw SQL that differs between them asks this. */
export const dialect = (): "postgresql" | "sqlite" => (isPostgresUrl(process.env.DATABASE_URL) ? "postgresql" : "sqlite");

declare global {
  var __membercareDb: PrismaClient | undefined;
  var __membercareStatementConnection: { path: string; connection: SqliteConnection } | undefined;
}

// One client per process; in development it also survives Remix rebuilds.
const db: PrismaClient =
  process.env.NODE_ENV === "development" ? (globalThis.__membercareDb ??= createDb()) : createDb();

export default db;

/**
 * Write statements with positional parameters (`?` on SQLite, `$1`.. on
 * PostgreSQL: build the text with `placeholder`), each returning its RETURNING
 * rows. For the webhook acknowledgement's inbox insert only (ADR 0035): on
 * SQLite they run on a connection of their own, beside Prisma's, with the same
 * settings and the same asynchronous wait for the write lock (withLockDeadline
 * applies), so they never land inside a transaction Prisma holds open on its
 * connection and cost no trip through Prisma's query compiler, which was a
 * third of the acknowledgement's time. On PostgreSQL they go through Prisma's
 * pool.
 *
 * `writeStatement`: one statement. `writeTransaction` (SQLite only): the
 * statements `work` runs, in one write transaction; PostgreSQL says the same
 * in one statement with data-modifying WITH clauses.
 */
export async function writeStatement<Row>(sql: string, args: readonly unknown[]): Promise<Row[]> {
  if (dialect() === "postgresql") return db.$queryRawUnsafe<Row[]>(sql, ...args);
  const result = await statementConnection().execute({ sql, args: args.map(sqliteArgument) });
  return result.rows as unknown as Row[];
}

export type RunStatement = <Row>(sql: string, args: readonly unknown[]) => Promise<Row[]>;

export async function writeTransaction<T>(work: (run: RunStatement) => Promise<T>): Promise<T> {
  if (dialect() === "postgresql") throw new Error("writeTransaction is SQLite's: on PostgreSQL write one statement with data-modifying WITH clauses");
  const tx = await statementConnection().transaction("write");
  try {
    const result = await work(async <Row>(sql: string, args: readonly unknown[]) => (await tx.execute({ sql, args: args.map(sqliteArgument) })).rows as unknown as Row[]);
    await tx.commit();
    return result;
  } finally {
    tx.close();
  }
}

/** writeStatement's SQLite connection: one per process and database file. */
function statementConnection(): SqliteConnection {
  // Never SQLite's busy wait here (it would stop the event loop that reads the
  // next deliveries while the jobs' process writes), and a short asynchronous
  // poll: the lock is taken within a few ms of the jobs' statement ending.
  const path = sqliteFileUrl(process.env.DATABASE_URL).replace(/^file:/, "");
  // One per process and file (development keeps it across Remix rebuilds, like the client).
  const cache = process.env.NODE_ENV === "development" ? globalThis : statementConnections;
  if (cache.__membercareStatementConnection?.path !== path) {
    cache.__membercareStatementConnection?.connection.close();
    cache.__membercareStatementConnection = {
      path,
      connection: new SqliteConnection(path, {
        busyTimeoutMs: 0,
        lockPollMs: 2,
        yields: false,
        // The commit that passes wal_autocheckpoint pages copies the WAL into the
        // file and syncs it, synchronously: 30-110 ms measured while the jobs
        // drained, every event-loop-blocking millisecond of it on acknowledgements.
        // The jobs' connections (1000 pages, SQLite's default) checkpoint long
        // before this one would; this one only if nothing else writes.
        autocheckpointPages: 10_000,
      }),
    };
  }
  return cache.__membercareStatementConnection.connection;
}

const statementConnections: { __membercareStatementConnection?: { path: string; connection: SqliteConnection } } = {};

/** `$n` on PostgreSQL, `?` on SQLite: the n-th (1-based) parameter of a writeStatement. */
export const placeholder = (n: number): string => (dialect() === "postgresql" ? `$${n}` : "?");

/** A value as Prisma's libsql adapter writes it, so rows written either way read the same (DateTime: ISO text with +00:00). */
function sqliteArgument(value: unknown): InValue {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (value === undefined) return null;
  return value as InValue;
}

/**
 * Whether an error means "the database cannot be written right now, try again"
 * (SQLite's write lock held by another process, PostgreSQL unreachable or out
 * of connections) rather than a fault in the request: callers answer 503.
 */
const UNAVAILABLE_CODES = new Set([
  // Prisma: cannot reach the server, timed out, connection closed, no free pool connection.
  "P1001", "P1002", "P1008", "P1017", "P2024",
  // PostgreSQL SQLSTATEs: read-only transaction (a standby, or a database set
  // read-only), lock not available, shutting down / cannot connect now, too
  // many connections, connection failures.
  "25006", "55P03", "57P01", "57P02", "57P03", "53300", "08000", "08003", "08006",
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current = error as { kind?: string; code?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } } | undefined;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    if (typeof current.kind === "string" && ["SocketTimeout", "DatabaseNotReachable", "TooManyConnections", "ConnectionClosed"].includes(current.kind)) return true;
    if (typeof current.code === "string" && (current.code.startsWith("SQLITE_BUSY") || UNAVAILABLE_CODES.has(current.code))) return true;
    if (typeof current.message === "string" && /SQLITE_BUSY|database is locked/.test(current.message)) return true;
    current = (current.meta?.driverAdapterError ?? current.cause) as typeof current;
  }
  return false;
}
