// The built app server as a child process of the ingest benchmark.
import { createAppServer } from "../../server.mjs";

const app = await createAppServer({ port: 0, host: "127.0.0.1" });
process.on("SIGINT", () => process.exit(0));
process.send?.({ port: Number(new URL(app.url).port) });
