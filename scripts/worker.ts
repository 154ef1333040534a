// `npm run worker`: the background jobs (inbox worker, tier sweep) as their own
// process, for running the web process with INBOX_WORKER_IN_PROCESS=false and
// scaling workers separately. Several may run at once: inbox claims are leased
// and a shop's sweep is claimed, so nothing is done twice.
import { env, InvalidEnvironmentError } from "~/env.server";
import { startWorkers } from "~/services/background.server";

try {
  env(); // refuse to start, naming what is missing, before any job runs
} catch (error) {
  if (!(error instanceof InvalidEnvironmentError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const worker = startWorkers((message) => console.warn(message));
console.log(`MemberCare worker ${process.pid} started (inbox, tier sweep)`);

async function shutdown() {
  await worker.stop();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
