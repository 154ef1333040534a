import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "@prisma/client";
import type { Client, Config, TransactionMode } from "@libsql/client";
import { createClient } from "@libsql/client";
import { sqliteFileUrl } from "./db-url";

/**
 * Per-connection SQLite settings. libsql opens a new connection after every
 * transaction and its default busy timeout is 0, so without this a second
 * process (the separate worker) would fail at once on a locked database instead
 * of waiting for it. WAL lets readers work while one writer writes.
 */
const CONNECTION_PRAGMAS = [
  "PRAGMA journal_mode = WAL",
  "PRAGMA busy_timeout = 10000",
  "PRAGMA synchronous = NORMAL",
  "PRAGMA foreign_keys = ON",
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
        return async (mode?: TransactionMode) => {
          await tune();
          const transaction = await target.transaction(mode);
          needsTuning = true; // the client hands this connection to the transaction and opens a new one next
          return transaction;
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

export function createDb(databaseUrl = process.env.DATABASE_URL): PrismaClient {
  return new PrismaClient({ adapter: new TunedPrismaLibSQL({ url: sqliteFileUrl(databaseUrl) }) });
}

declare global {
  var __membercareDb: PrismaClient | undefined;
}

// One client per process; in development it also survives Remix rebuilds.
const db: PrismaClient =
  process.env.NODE_ENV === "development" ? (globalThis.__membercareDb ??= createDb()) : createDb();

export default db;
