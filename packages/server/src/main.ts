import { createServer } from "./app.js";
import { ConfigError, helpText, loadConfig } from "./config.js";
import { sweep } from "./sweeper.js";

/** How long a stop waits for the requests under way before it cuts their connections. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  if (process.argv.includes("--help") || process.argv.includes("-h")) {
    process.stdout.write(helpText());
    return;
  }
  const config = loadConfig();
  const server = await createServer(config);
  const { app, ctx } = server;
  // Reconcile before answering: a crash may have left orphans or half-finished uploads.
  await sweep(ctx, app.log);
  const timer = setInterval(() => {
    sweep(ctx, app.log).catch((error: Error) =>
      app.log.error({ err: { type: error.name } }, "sweeper failed"),
    );
  }, config.sweepIntervalMs);
  timer.unref();
  const address = await app.listen({ host: config.host, port: config.port });
  process.stdout.write(`umbra: listening on ${address}\n`);
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    clearInterval(timer);
    // Requests under way are answered; a connection still open after the grace period (a stalled client, an
    // upload that will resume elsewhere) is cut, so a stop takes bounded time whatever the clients do.
    const deadline = setTimeout(() => {
      process.stderr.write(`umbra: still closing after ${SHUTDOWN_GRACE_MS} ms: cutting open connections\n`);
      app.server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    deadline.unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`umbra: ${error.message}\n\n${helpText()}`);
    process.exit(2);
  }
  process.stderr.write(`umbra: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
