// Readiness (docs/operations.md, "Health endpoints"): 200 when this process can
// write to its database, 503 when it cannot (another process holds SQLite's
// write lock, PostgreSQL is down or read-only). No authentication, no shop data.
import { databaseWritable } from "~/services/health.server";

export const loader = async () => {
  const result = await databaseWritable();
  return new Response(result.ok ? "ready\n" : `not ready: ${result.reason}\n`, {
    status: result.ok ? 200 : 503,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...(result.ok ? {} : { "Retry-After": "5" }) },
  });
};
