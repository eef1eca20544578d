import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CATALOGUE } from "./errors.js";

/** The rows of docs/PROTOCOL.md's error table: `| \`CODE\` | status | meaning |` under "## Errors". */
function documentedErrors(markdown: string): [string, { status: number; meaning: string }][] {
  const section = markdown.split(/^## Errors$/m)[1]?.split(/^## /m)[0] ?? "";
  const rows = [...section.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| (.+?) \|$/gm)];
  return rows.map(([, code, status, meaning]) => [code!, { status: Number(status), meaning: meaning! }]);
}

describe("docs/PROTOCOL.md's error catalogue", () => {
  const markdown = readFileSync(new URL("../../../docs/PROTOCOL.md", import.meta.url), "utf8");
  const rows = documentedErrors(markdown);

  it("lists every code of ERROR_CATALOGUE once, with its status and meaning, and nothing else", () => {
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map(([code]) => code)).size).toBe(rows.length);
    expect(Object.fromEntries(rows)).toEqual(ERROR_CATALOGUE);
  });

  it("would notice a difference", () => {
    const edited = markdown.replace("| `NOT_FOUND` | 404 |", "| `NOT_FOUND` | 410 |");
    expect(Object.fromEntries(documentedErrors(edited))).not.toEqual(ERROR_CATALOGUE);
  });
});
