// The local SMS provider of the demo and the tests: an HTTP server that speaks
// the shape of Twilio's Messages API (POST /2010-04-01/Accounts/{Sid}/Messages.json,
// form-encoded To, From, Body, HTTP Basic auth, a JSON answer with `sid`, and
// Twilio's `{code, message, status}` errors), keeps every message, and shows
// them on a page. A repeated Idempotency-Key answers the first message again
// instead of sending a second one, as providers with idempotency do.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface SmsEndpointMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  idempotencyKey: string | null;
  receivedAt: Date;
}

export interface SmsEndpoint {
  /** The API base URL the app is given (SMS_API_BASE_URL). */
  url: string;
  accountSid: string;
  authToken: string;
  messages: SmsEndpointMessage[];
  /** Every POST to the Messages resource, accepted or not. */
  requests: number;
  /** The next `count` sends are answered with this status (429, 500, 503: the provider struggling). */
  failNext(status: number, count?: number): void;
  close(): Promise<void>;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** Twilio's error body: a numeric code, a message and the HTTP status. */
const twilioError = (status: number, code: number, message: string) => ({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

const E164 = /^\+[1-9]\d{6,14}$/;

export async function startSmsEndpoint({ host = "127.0.0.1", port = 0, accountSid = "AC" + "0".repeat(30) + "01", authToken = "local-sms-token" } = {}): Promise<SmsEndpoint> {
  const messages: SmsEndpointMessage[] = [];
  const byKey = new Map<string, SmsEndpointMessage>();
  let failures: { status: number; count: number } | null = null;
  const endpoint: SmsEndpoint = {
    url: "",
    accountSid,
    authToken,
    messages,
    requests: 0,
    failNext(status, count = 1) {
      failures = { status, count };
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://sms");
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "Content-Type": "application/json" });
      response.end(JSON.stringify(body));
    };
    const resource = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
    if (resource) {
      const [user, password] = Buffer.from((request.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString("utf8").split(":");
      if (user !== accountSid || password !== authToken) return send(401, twilioError(401, 20003, "Authenticate"));
      if (decodeURIComponent(resource[1]!) !== accountSid) return send(404, twilioError(404, 20404, "The requested resource was not found"));
      if (request.method === "GET") return send(200, { messages: messages.map(resourceOf) });
      if (request.method !== "POST") return send(405, twilioError(405, 20004, "Method not allowed"));
      endpoint.requests++;
      let raw = "";
      request.setEncoding("utf8");
      request.on("data", (chunk: string) => (raw += chunk));
      request.on("end", () => {
        if (failures && failures.count > 0) {
          failures.count--;
          return send(failures.status, twilioError(failures.status, failures.status === 429 ? 20429 : 20500, failures.status === 429 ? "Too Many Requests" : "Internal Server Error"));
        }
        const form = new URLSearchParams(raw);
        const to = form.get("To") ?? "";
        const from = form.get("From") ?? "";
        const body = form.get("Body") ?? "";
        if (!to) return send(400, twilioError(400, 21604, "A 'To' phone number is required."));
        if (!E164.test(to)) return send(400, twilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`));
        if (!from) return send(400, twilioError(400, 21603, "A 'From' phone number is required."));
        if (!body) return send(400, twilioError(400, 21602, "Message body is required."));
        if (body.length > 1600) return send(400, twilioError(400, 21617, "The concatenated message body exceeds the 1600 character limit."));
        const key = (request.headers["idempotency-key"] as string | undefined) ?? null;
        const repeated = key ? byKey.get(key) : undefined;
        if (repeated) return send(201, resourceOf(repeated));
        const message: SmsEndpointMessage = { sid: `SM${randomBytes(16).toString("hex")}`, to, from, body, idempotencyKey: key, receivedAt: new Date() };
        messages.push(message);
        if (key) byKey.set(key, message);
        send(201, resourceOf(message));
      });
      return;
    }
    if (url.pathname === "/" && request.method === "GET") {
      const rows = messages
        .slice()
        .reverse()
        .map((m) => `<tr><td>${m.receivedAt.toISOString()}</td><td>${escape(m.from)}</td><td>${escape(m.to)}</td><td>${escape(m.body)}</td></tr>`)
        .join("");
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      response.end(`<!doctype html><meta charset="utf-8"><title>SMS endpoint</title><h1>SMS endpoint: ${messages.length} message${messages.length === 1 ? "" : "s"}</h1><table><tr><th>Received</th><th>From</th><th>To</th><th>Body</th></tr>${rows}</table>`);
      return;
    }
    send(404, twilioError(404, 20404, "The requested resource was not found"));
  });

  // A message as Twilio's API describes it (the fields the app and a reader use).
  function resourceOf(message: SmsEndpointMessage) {
    return {
      sid: message.sid,
      account_sid: accountSid,
      to: message.to,
      from: message.from,
      body: message.body,
      status: "queued",
      direction: "outbound-api",
      date_created: message.receivedAt.toUTCString(),
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}.json`,
    };
  }

  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  endpoint.url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return endpoint;
}
