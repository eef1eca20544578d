import { buildCli } from "../scripts/build.mjs";

let built: Promise<void> | undefined;

/** Builds dist/umbra.js from the current sources once per test process, so the tests run what they test. */
export function buildCliForTests(): Promise<void> {
  built ??= buildCli();
  return built;
}
