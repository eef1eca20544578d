import { basename } from "node:path";
import type { UmbraClient } from "@umbra/client";
import { CliError } from "./cli-error.js";
import { DEFAULT_STALE_SECONDS } from "./live-recover.js";
import { followFile, uploadStdin } from "./live-source-run.js";
import { formatBytes } from "./progress-render.js";

/** The live modes of `umbra upload` (README, "Live recordings"). */
export type LiveMode =
  | { kind: "follow"; path: string; idleExitSeconds: number }
  | { kind: "stdin"; name: string }
  | { kind: "recover" };

export interface LiveFlags {
  follow?: boolean;
  stdin?: boolean;
  name?: string;
  recover?: boolean;
  idleExit?: string;
  stale?: string;
  passwordStdin?: boolean;
}

const seconds = (value: string | undefined, flag: string, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new CliError("INVALID_INPUT", `${flag} takes a number of seconds`);
  return n;
};

/** Which live mode the flags ask for (undefined: an ordinary upload), refusing combinations that make no sense. */
export function liveModeOf(paths: string[], flags: LiveFlags): LiveMode | undefined {
  const modes = [flags.follow, flags.stdin, flags.recover].filter(Boolean).length;
  if (modes > 1) throw new CliError("INVALID_INPUT", "--follow, --stdin and --recover go one at a time");
  if (flags.follow) {
    if (paths.length !== 1) throw new CliError("INVALID_INPUT", "--follow takes exactly one FILE");
    return { kind: "follow", path: paths[0]!, idleExitSeconds: seconds(flags.idleExit, "--idle-exit", 30) };
  }
  if (flags.stdin) {
    if (paths.length > 0) throw new CliError("INVALID_INPUT", "--stdin reads no paths");
    if (!flags.name) throw new CliError("INVALID_INPUT", "--stdin needs --name NAME");
    if (flags.passwordStdin) {
      throw new CliError(
        "INVALID_INPUT",
        "--stdin carries the recording: give the password in UMBRA_PASSWORD",
      );
    }
    return { kind: "stdin", name: flags.name };
  }
  if (flags.recover) {
    if (paths.length > 0) throw new CliError("INVALID_INPUT", "--recover takes no paths");
    return { kind: "recover" };
  }
  if (flags.idleExit !== undefined || flags.name !== undefined) {
    throw new CliError("INVALID_INPUT", "--idle-exit goes with --follow, --name with --stdin");
  }
  return undefined;
}

export function staleSecondsOf(flags: LiveFlags): number {
  return seconds(flags.stale, "--stale", DEFAULT_STALE_SECONDS);
}

/** Runs a live mode on an unlocked client whose interrupted recordings were already recovered. */
export async function runLiveMode(
  client: UmbraClient,
  mode: LiveMode,
  albumId: string | undefined,
): Promise<void> {
  if (mode.kind === "recover") return;
  const controller = new AbortController();
  // The first Ctrl-C (or SIGTERM) finishes the recording; a second one quits at once (the recording is then
  // finished by the next `umbra upload`, as after a crash).
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write("finishing the recording (Ctrl-C again to quit at once)\n");
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const say = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const options = { albumId, stop: controller.signal, say };
    const entry =
      mode.kind === "follow"
        ? await followFile(client, mode.path, basename(mode.path), mode.idleExitSeconds, options)
        : await uploadStdin(client, process.stdin, mode.name, options);
    process.stdout.write(
      `uploaded ${entry.metadata.name} (${entry.id}): ${formatBytes(entry.metadata.size)}, live\n`,
    );
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
