import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { CliErrorCode } from "./cli-error.js";
import { describeFailure, EXIT, FAILURES } from "./errors-output.js";

/** The rows of README.md's exit-code table: exit code → the error codes listed for it. */
async function readmeExitTable(): Promise<Map<number, string[]>> {
  const readme = await readFile(new URL("../../../README.md", import.meta.url), "utf8");
  const lines = readme.split("\n");
  const header = lines.findIndex((line) => /^\| exit \| when \| codes \|$/.test(line));
  expect(header, "README.md has the exit-code table").toBeGreaterThanOrEqual(0);
  const rows = new Map<number, string[]>();
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith("|")) break;
    const cells = line.split(" | ");
    const exit = Number(cells[0]?.replace("|", "").trim());
    const codes = [...(cells.at(-1) ?? "").matchAll(/`([A-Z_]+)`/g)].map((m) => m[1] ?? "");
    rows.set(exit, codes);
  }
  return rows;
}

describe("README's exit-code table", () => {
  it("lists every exit code and every reported code with the exit the CLI gives it", async () => {
    const rows = await readmeExitTable();
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual(Object.values(EXIT).sort((a, b) => a - b));
    const listed = [...rows.values()].flat();
    expect(listed.sort()).toEqual(Object.keys(FAILURES).sort());
    for (const [exit, codes] of rows) {
      for (const code of codes) {
        const error = Object.assign(new Error("x"), { code });
        expect(describeFailure(error).exitCode, code).toBe(exit);
      }
    }
  });

  it("is keyed by typed codes: a code that does not exist fails to compile", () => {
    const table: Partial<Record<CliErrorCode, number>> = {
      NETWORK: EXIT.network,
      // @ts-expect-error: no code of that spelling exists
      NETWROK: EXIT.network,
    };
    expect(Object.keys(table)).toHaveLength(2);
  });
});
