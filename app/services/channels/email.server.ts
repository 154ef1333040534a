/**
 * The email channel: one message over SMTP with nodemailer, through a pooled
 * transport kept for the life of the channel (opening a connection per
 * message would cost a TCP and SMTP handshake each, the bulk of a send).
 *
 * Outcomes, as the dispatcher needs them:
 * - accepted: the server took the message for delivery (250 after DATA);
 * - rejected: a permanent refusal (5xx, or an address nodemailer cannot use);
 * - thrown: anything that may pass on a later try (server down, timeouts,
 *   4xx "try again later"), so the message is retried and not lost.
 */
import { createHash } from "node:crypto";
import nodemailer from "nodemailer";
import { appMailFrom } from "~/env.server";
import type { ChannelSender, OutgoingMessage, SendResult } from "./types";
import { TransientChannelError } from "./types";
import { CallTimeoutError, callDeadlineMs, isTimeout } from "../call-deadlines.server";

export interface EmailChannelOptions {
  /** smtp://user:pass@host:port (STARTTLS when offered) or smtps://… (TLS from the start). */
  smtpUrl: string;
  /** Connections the pool keeps open to the server. */
  maxConnections?: number;
  /**
   * Milliseconds to wait for the connection, for the server's greeting, and
   * for each answer on the socket (default SMTP_TIMEOUT_MS): a server that
   * accepts and then says nothing is given up on, and the message retried.
   */
  timeoutMs?: number;
  /**
   * The envelope sender (SMTP MAIL FROM, the Return-Path receivers record):
   * always the app's own address, whatever the From header says, so SPF is
   * checked against the operator's domain and bounces come back to it, never
   * to a merchant's address nobody confirmed (issue 18). Default: appMailFrom().
   */
  envelopeFrom?: string;
}

export interface EmailChannel extends ChannelSender {
  /** Closes the pooled connections (worker shutdown, tests). */
  close(): void;
}

/**
 * The email's Message-ID for a message: stable for the same idempotency key,
 * so a resend after a crash is the same message to the receiver (mail
 * servers and clients drop duplicates by Message-ID). The key may hold
 * characters a Message-ID cannot (`:`, `/`), so it is shown readably and
 * followed by a hash of the exact key, which keeps two keys that read alike
 * apart. The shop's domain makes it unique across shops.
 */
export function messageIdFor(shop: string, idempotencyKey: string): string {
  const readable = idempotencyKey
    .replace(/[^A-Za-z0-9]+/g, ".")
    .replace(/^\.+|\.+$/g, "")
    .slice(0, 80)
    .replace(/\.+$/, "");
  const hash = createHash("sha256").update(`${shop}\n${idempotencyKey}`).digest("hex").slice(0, 20);
  const domain = shop.replace(/[^A-Za-z0-9.-]/g, "") || "membercare.invalid";
  return `<${readable ? `${readable}.` : ""}${hash}@${domain}>`;
}

/**
 * RFC 2369 List-Unsubscribe with the one-click HTTPS link first (RFC 8058:
 * mailbox providers POST `List-Unsubscribe=One-Click` to it), and a mailto to
 * the shop for clients that only offer mail; the mail carries the same link,
 * so whoever reads the shop's mailbox can act on it.
 */
export function listUnsubscribeHeaders(unsubscribeUrl: string, mailbox: string): Record<string, string> {
  const mailto = `mailto:${mailbox}?${new URLSearchParams({ subject: "unsubscribe", body: unsubscribeUrl }).toString().replace(/\+/g, "%20")}`;
  return {
    "List-Unsubscribe": `<${unsubscribeUrl}>, <${mailto}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

export function emailChannel(options: EmailChannelOptions): EmailChannel {
  const url = new URL(options.smtpUrl);
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") throw new Error(`SMTP_URL must be smtp:// or smtps://, not ${url.protocol}`);
  const timeoutMs = options.timeoutMs ?? callDeadlineMs("smtp");
  const transport = nodemailer.createTransport({
    pool: true,
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === "smtps:" ? 465 : 587,
    secure: url.protocol === "smtps:",
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    maxConnections: options.maxConnections ?? 5,
    // nodemailer waits 2 minutes for a connection, 30 s for the greeting and
    // 10 minutes on a silent socket by default: a dead server would hold the
    // dispatcher's lease past its end. One deadline for all three (issue 18).
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });

  const envelopeFrom = options.envelopeFrom ?? appMailFrom();

  return {
    // One message per pooled connection at a time (nodemailer queues the rest).
    maxInFlight: options.maxConnections ?? 5,
    async send(message: OutgoingMessage): Promise<SendResult> {
      const to = message.customer.email;
      if (!to) return { status: "rejected", reason: "the customer has no email address" };
      const { fromName, fromEmail, replyTo } = message.sender;
      if (!fromEmail) return { status: "rejected", reason: "no sender address in the care settings" };
      const messageId = messageIdFor(message.shop, message.idempotencyKey);
      try {
        const info = await transport.sendMail({
          // The name is quoted or MIME-encoded by nodemailer; resolveSender already took out anything that could break a line.
          from: { name: fromName, address: fromEmail },
          to,
          envelope: { from: envelopeFrom, to },
          replyTo: replyTo ?? undefined,
          subject: message.rendered.subject,
          text: message.rendered.text,
          html: message.rendered.html,
          messageId,
          headers: {
            ...(message.unsubscribeUrl ? listUnsubscribeHeaders(message.unsubscribeUrl, replyTo ?? fromEmail) : {}),
            // Marks automated mail so auto-responders do not answer it (RFC 3834).
            "Auto-Submitted": "auto-generated",
          },
        });
        return { status: "accepted", providerMessageId: info.messageId ?? messageId };
      } catch (error) {
        const smtp = error as SmtpError;
        const code = smtp.responseCode;
        if (code && code >= 500 && code < 600) return { status: "rejected", reason: `SMTP ${code}: ${(smtp.response ?? smtp.message).slice(0, 300)}` };
        // An envelope nodemailer refuses before talking to the server (an address it cannot parse) will never pass.
        if (!code && smtp.code === "EENVELOPE") return { status: "rejected", reason: smtp.message.slice(0, 300) };
        if (!code && isTimeout(error)) throw new TransientChannelError(`${new CallTimeoutError("SMTP", timeoutMs).message} (${smtp.message.slice(0, 200)})`, { cause: error });
        throw new TransientChannelError(`SMTP ${code ?? smtp.code ?? "error"}: ${smtp.message.slice(0, 300)}`, { cause: error });
      }
    },
    close() {
      transport.close();
    },
  };
}
