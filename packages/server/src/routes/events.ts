import { PassThrough } from "node:stream";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { AppContext } from "../context.js";
import type { ChangeKind, ChangeListener } from "../events/notifier.js";
import { requireSession, sessionOf } from "../session-auth.js";
import { sessionAlive } from "../store/sessions.js";

/** A comment line this often keeps proxies from closing an idle stream (and checks the session still lives). */
export const PING_INTERVAL_MS = 25_000;

/**
 * `GET /api/events`: Server-Sent Events for the authenticated session. `ready` once subscribed, `changed` with
 * `{n, kind}` (a per-stream counter and a hint of what to sync: never a record), `signed-out` when the session is
 * revoked (the stream then ends), a `: ping` comment every 25 s.
 */
export function eventRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/events",
      {
        onRequest: requireSession(ctx),
        schema: {
          summary:
            "change hints for this session (text/event-stream): ready, changed {n, kind}, signed-out; ping every 25 s",
        },
      },
      async (request, reply) => {
        const session = sessionOf(request);
        const stream = new PassThrough();
        let n = 0;
        let open = true;
        const write = (text: string) => {
          if (open) stream.write(text);
        };
        const close = () => {
          if (!open) return;
          open = false;
          clearInterval(ping);
          unsubscribe();
          stream.end();
        };
        const listener: ChangeListener = {
          userId: session.userId,
          sessionId: session.id,
          changed(kind: ChangeKind) {
            n += 1;
            write(`event: changed\ndata: ${JSON.stringify({ n, kind })}\n\n`);
          },
          signedOut() {
            write("event: signed-out\ndata: {}\n\n");
            close();
          },
          close,
        };
        const unsubscribe = ctx.notifier.subscribe(listener);
        const ping = setInterval(() => {
          write(": ping\n\n");
          // An expired session (or one removed while this stream was being opened) ends here too.
          sessionAlive(ctx.db, session.id).then(
            (alive) => alive || listener.signedOut(),
            () => {},
          );
        }, PING_INTERVAL_MS);
        ping.unref();
        reply.raw.on("close", close);
        write("retry: 5000\n\nevent: ready\ndata: {}\n\n");
        if (!(await sessionAlive(ctx.db, session.id))) listener.signedOut();
        reply
          .header("content-type", "text/event-stream; charset=utf-8")
          .header("cache-control", "no-store")
          .header("x-accel-buffering", "no");
        return reply.send(stream);
      },
    );
  };
}
