import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
// The same models generated for PostgreSQL (prisma/postgres/schema.prisma).
import { PrismaClient as PostgresPrismaClient } from "@membercare/postgres-client";
import type { Client, Config, TransactionMode } from "@libsql/client";
import { createClient } from "@libsql/client";
import { isPostgresUrl, sqliteFileUrl } from "./db-url";

/**
 * Per-connection SQLite settings. libsql's default busy timeout is 0, so without this a second
 * process (the separate worker) would fail at once on a locked database instead
 * of waiting for it. WAL lets readers work while one writer writes.
 */
const CONNECTION_PRAGMAS = [
  "PRAGMA journal_mode = WAL",
  "PRAGMA busy_timeout = 10000",
  "PRAGMA synchronous = NORMAL",
  "PRAGMA foreign_keys = ON",
  "PRAGMA secure_delete = ON", // erasure (issue 18): deleted content is zeroed in the file, not left in free pages
];

/** Wraps the libsql client so each new underlying connection is tuned before use. */
function tunedClient(inner: Client): Client {
  let needsTuning = true;
  const tune = async () => {
    if (!needsTuning) return;
    needsTuning = false;
    for (const pragma of CONNECTION_PRAGMAS) await inner.execute(pragma);
  };
  return new Proxy(inner, {
    get(target, property) {
      if (property === "transaction") {
        // libsql's own transaction() hands its connection to the transaction
        // and opens a new one, and never closes the one it handed over: about
        // 250 KB of native memory lost per transaction (a dispatcher sending
        // 4,000 messages grew past 1 GB), plus a connection opened and tuned
        // each time. Prisma's adapter holds its lock from the start of a
        // transaction to its end, so nothing else runs on this client
        // meanwhile: the transaction runs on the client's own connection.
        return async (mode: TransactionMode = "write") => {
          await tune();
          await target.execute(mode === "write" ? "BEGIN IMMEDIATE" : mode === "read" ? "BEGIN TRANSACTION READONLY" : "BEGIN DEFERRED");
          let open = true;
          const live = () => {
            if (!open) throw new Error("The transaction is closed");
          };
          return {
            execute: (...args: Parameters<Client["execute"]>) => (live(), target.execute(...args)),
            batch: async (statements: Parameters<Client["batch"]>[0]) => {
              live();
              const results = [];
              for (const statement of statements) results.push(await target.execute(statement));
              return results;
            },
            executeMultiple: (sql: string) => (live(), target.executeMultiple(sql)),
            commit: async () => {
              live();
              // Still open if COMMIT fails: the rollback that follows must end it.
              await target.execute("COMMIT");
              open = false;
            },
            rollback: async () => {
              if (!open) return;
              open = false;
              await target.execute("ROLLBACK");
            },
            close: () => {
              if (open) void target.execute("ROLLBACK").catch(() => {});
              open = false;
            },
            get closed() {
              return !open;
            },
          } as unknown as Awaited<ReturnType<Client["transaction"]>>;
        };
      }
      if (property === "execute" || property === "batch" || property === "executeMultiple") {
        const method = target[property] as (...args: unknown[]) => Promise<unknown>;
        return async (...args: unknown[]) => {
          await tune();
          return method.apply(target, args);
        };
      }
      // Everything else runs on the client itself: its methods use private fields.
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

class TunedPrismaLibSQL extends PrismaLibSQL {
  createClient(config: Config): Client {
    return tunedClient(createClient(config));
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
}

// One client per process; in development it also survives Remix rebuilds.
const db: PrismaClient =
  process.env.NODE_ENV === "development" ? (globalThis.__membercareDb ??= createDb()) : createDb();

export default db;
