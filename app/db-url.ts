import path from "node:path";

/** Default embedded database: one SQLite file beside the schema. */
export const DEFAULT_DATABASE_URL = "file:./prisma/dev.sqlite";

/**
 * libsql resolves relative file URLs against the process's working directory;
 * normalise them to absolute paths so the CLI, the server and the tests agree.
 */
export function sqliteFileUrl(url: string | undefined): string {
  const value = url && url.length > 0 ? url : DEFAULT_DATABASE_URL;
  if (!value.startsWith("file:")) return value;
  const file = value.slice("file:".length);
  return "file:" + (path.isAbsolute(file) ? file : path.resolve(process.cwd(), file));
}

/** PostgreSQL is chosen by the URL's scheme; anything else is the embedded SQLite file. */
export const isPostgresUrl = (url: string | undefined): boolean => /^postgres(ql)?:\/\//.test(url ?? "");
