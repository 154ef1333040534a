// The floor for the ingest benchmark: a bare node:http server that only checks
// the webhook's HMAC and answers 200. No framework, no database.
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";

const secret = process.env.SHOPIFY_API_SECRET;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const digest = createHmac("sha256", secret).update(Buffer.concat(chunks)).digest();
    const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
    const ok = given.length === digest.length && timingSafeEqual(given, digest);
    res.writeHead(ok ? 200 : 401);
    res.end();
  });
});
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
