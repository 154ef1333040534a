// `npm run worker`: every background job of the registry
// (app/jobs/registry.server.ts) as its own process, for running the web
// process with INBOX_WORKER_IN_PROCESS=false and scaling workers separately.
// Several may run at once: queue rows are leased and a shop's sweep is
// claimed, so nothing is done twice.
import { env, InvalidEnvironmentError } from "~/env.server";
import { JOBS } from "~/jobs/registry.server";
import { startWorkers } from "~/services/background.server";

try {
  env(); // refuse to start, naming what is missing, before any job runs
} catch (error) {
  if (!(error instanceof InvalidEnvironmentError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const worker = startWorkers((message) => console.warn(message));
console.log(`MemberCare worker ${process.pid} started (${JOBS.map((job) => job.name).join(", ")})`);

async function shutdown() {
  await worker.stop();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
