// The local SMTP inbox of the demo and the tests: a real SMTP server (smtp-server)
// on loopback that keeps every message it is given, parsed (mailparser), and a
// page that lists them and shows each one, headers included (List-Unsubscribe
// is one a merchant should be able to check).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface InboxMessage {
  id: number;
  receivedAt: Date;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
}

export interface SmtpInbox {
  /** Where the app sends: smtp://127.0.0.1:<port>. */
  smtpUrl: string;
  smtpPort: number;
  /** The page listing the messages. */
  url: string;
  messages: InboxMessage[];
  close(): Promise<void>;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export interface SmtpInboxOptions {
  host?: string;
  smtpPort?: number;
  httpPort?: number;
  /**
   * Called with each message once it is kept, before the server answers 250:
   * the sender does not yet know it was taken. Tests use the window to stop
   * a sender there (tests/dispatch-crash.test.ts kills the dispatcher in it).
   */
  onMessage?: (message: InboxMessage) => void | Promise<void>;
}

export async function startSmtpInbox({ host = "127.0.0.1", smtpPort = 0, httpPort = 0, onMessage }: SmtpInboxOptions = {}): Promise<SmtpInbox> {
  const messages: InboxMessage[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const to = session.envelope.rcptTo.map((recipient) => recipient.address);
          const headers: Record<string, string> = {};
          for (const line of parsed.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(":") + 1).trim();
          const message: InboxMessage = {
            id: messages.length + 1,
            receivedAt: new Date(),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to,
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: typeof parsed.html === "string" ? parsed.html : null,
            headers,
          };
          messages.push(message);
          return onMessage?.(message);
        })
        .then(() => callback())
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => smtp.listen(smtpPort, host, resolve));
  const boundSmtp = (smtp.server.address() as AddressInfo).port;

  const page = http.createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://inbox");
    const one = /^\/messages\/(\d+)$/.exec(url.pathname);
    if (url.pathname === "/messages.json") {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(JSON.stringify(messages));
      return;
    }
    if (one) {
      const message = messages.find((candidate) => candidate.id === Number(one[1]));
      if (!message) {
        response.writeHead(404, { "Content-Type": "text/plain" }).end("No such message");
        return;
      }
      const headers = Object.entries(message.headers).map(([key, value]) => `<tr><th>${escape(key)}</th><td>${escape(value)}</td></tr>`).join("");
      // The HTML body is shown as the recipient would see it, sandboxed.
      const body = message.html ? `<iframe sandbox srcdoc="${escape(message.html)}" style="width:100%;height:480px;border:1px solid #ccc"></iframe>` : `<pre>${escape(message.text)}</pre>`;
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      response.end(`<!doctype html><meta charset="utf-8"><title>${escape(message.subject)}</title><p><a href="/">All messages</a></p><h1>${escape(message.subject)}</h1><table>${headers}</table>${body}`);
      return;
    }
    if (url.pathname === "/") {
      const rows = messages
        .slice()
        .reverse()
        .map((message) => `<tr><td>${message.receivedAt.toISOString()}</td><td>${escape(message.to.join(", "))}</td><td><a href="/messages/${message.id}">${escape(message.subject)}</a></td></tr>`)
        .join("");
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      response.end(`<!doctype html><meta charset="utf-8"><title>SMTP inbox</title><h1>SMTP inbox: ${messages.length} message${messages.length === 1 ? "" : "s"}</h1><p>smtp://${host}:${boundSmtp}</p><table><tr><th>Received</th><th>To</th><th>Subject</th></tr>${rows}</table>`);
      return;
    }
    response.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
  });
  await new Promise<void>((resolve) => page.listen(httpPort, host, resolve));
  const boundHttp = (page.address() as AddressInfo).port;

  return {
    smtpUrl: `smtp://${host}:${boundSmtp}`,
    smtpPort: boundSmtp,
    url: `http://${host}:${boundHttp}/`,
    messages,
    close: async () => {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => page.close(() => resolve()));
    },
  };
}
