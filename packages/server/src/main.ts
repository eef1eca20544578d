import { createServer } from "./app.js";
import { ConfigError, helpText, loadConfig } from "./config.js";
import { sweep } from "./sweeper.js";

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
