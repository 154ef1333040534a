import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "@prisma/client";
import { sqliteFileUrl } from "./db-url";

export type Db = PrismaClient;

declare global {
  // One client per process, also across Remix dev reloads.
  var __membercareDb: PrismaClient | undefined;
}

export function createDb(databaseUrl = process.env.DATABASE_URL): PrismaClient {
  return new PrismaClient({ adapter: new PrismaLibSQL({ url: sqliteFileUrl(databaseUrl) }) });
}

const db: PrismaClient = (globalThis.__membercareDb ??= createDb());

let tuned: Promise<void> | undefined;

/**
 * SQLite tuning for one writer with many readers: WAL lets the web process
 * acknowledge webhooks while the worker writes; busy_timeout makes a writer
 * wait for the lock instead of failing. Runs once per process.
 */
export function ensureDbReady(client: PrismaClient = db): Promise<void> {
  tuned ??= (async () => {
    await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await client.$queryRawUnsafe("PRAGMA busy_timeout = 10000");
    await client.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  })();
  return tuned;
}

export default db;
