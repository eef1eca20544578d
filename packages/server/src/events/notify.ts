import type { FastifyRequest } from "fastify";
import type { AppContext } from "../context.js";
import { sessionOf } from "../session-auth.js";

/**
 * After a committed change by the request's session: the user's other sessions hear `kind`, everyone else in
 * `audience` (owners and members of the albums concerned) hears `shared`. Only hints: clients sync through the
 * routes they already verify.
 */
export function notifyChange(
  ctx: AppContext,
  request: FastifyRequest,
  kind: "library" | "checkpoint" | "shared",
  audience: Iterable<string> = [],
): void {
  const { userId, id } = sessionOf(request);
  ctx.notifier.changed([userId], kind, id);
  ctx.notifier.changed(
    [...audience].filter((user) => user !== userId),
    "shared",
  );
}
