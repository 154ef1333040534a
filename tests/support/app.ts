// Starts the built app (the same server.mjs production runs) on a free port,
// against this test file's SQLite database.
import { createAppServer } from "../../server.mjs";

export interface TestApp {
  url: string;
  close(): Promise<void>;
}

export async function startTestApp({ worker = true }: { worker?: boolean } = {}): Promise<TestApp> {
  // The build reads its environment when first imported; the in-process worker
  // is what production runs by default.
  process.env.INBOX_WORKER_IN_PROCESS = worker ? "true" : "false";
  process.env.WORKER_BATCH_SIZE = "200";
  return createAppServer({ port: 0, host: "127.0.0.1" });
}
