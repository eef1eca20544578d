import type { ChildProcess } from "node:child_process";
import { startServer as startHarnessServer } from "@umbra/test-harness";

/** The real server process on the TypeScript sources, on a free port with a temp data directory. */
export async function startServer(env: Record<string, string> = {}): Promise<{
  url: string;
  dataDir: string;
  stop: () => Promise<void>;
  child: ChildProcess;
}> {
  const server = await startHarnessServer({ logLevel: "warn", env });
  return { url: server.url, dataDir: server.dataDir, child: server.process, stop: server.stop };
}
