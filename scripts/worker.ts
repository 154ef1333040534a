// `npm run worker`: the inbox worker as its own process, for running the web
// process with INBOX_WORKER_IN_PROCESS=false and scaling workers separately.
// Several may run at once: claims are leased, so no event is projected twice.
import { env, InvalidEnvironmentError } from "~/env.server";
import { startInboxWorker } from "~/services/inbox-worker.server";

let config;
try {
  config = env();
} catch (error) {
  if (!(error instanceof InvalidEnvironmentError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const worker = startInboxWorker({
  batchSize: config.WORKER_BATCH_SIZE,
  leaseMs: config.WORKER_LEASE_SECONDS * 1000,
  maxAttempts: config.WORKER_MAX_ATTEMPTS,
  log: (message) => console.warn(message),
});
console.log(`MemberCare inbox worker ${process.pid} started`);

async function shutdown() {
  await worker.stop();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
