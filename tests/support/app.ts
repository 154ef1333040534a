// Starts the built app (the same server.mjs production runs) on a free port,
// against this test file's SQLite database.
import { createAppServer } from "../../server.mjs";

export interface TestApp {
  url: string;
  /** The background jobs' child process server.mjs manages (with the worker on), ADR 0023. */
  workers?: { readonly pid: number | undefined };
  close(): Promise<void>;
}

export async function startTestApp({ worker = true }: { worker?: boolean } = {}): Promise<TestApp> {
  // The build reads its environment when first imported; background jobs beside
  // the web process (in the child process server.mjs manages) are what
  // production runs by default.
  process.env.INBOX_WORKER_IN_PROCESS = worker ? "true" : "false";
  process.env.WORKER_BATCH_SIZE = "200";
  return createAppServer({ port: 0, host: "127.0.0.1" });
}
