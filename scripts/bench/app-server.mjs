// The built app server as a child process of the ingest benchmark. SIGTERM
// closes it as `npm start` does, stopping its background jobs' process too.
import { createAppServer } from "../../server.mjs";

const app = await createAppServer({ port: 0, host: "127.0.0.1" });
const shutdown = async () => {
  await app.close();
  process.exit(0);
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
// The benchmark gone (it crashed or was killed): no server left behind.
process.on("disconnect", shutdown);
process.send?.({ port: Number(new URL(app.url).port) });
