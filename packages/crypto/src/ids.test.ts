import { describe, expect, it } from "vitest";
import { InvalidInputError } from "./errors.js";
import { generateId, type IdKind, isId } from "./ids.js";

describe("ids", () => {
  it("generates prefixed 22-character base64url ids", () => {
    for (const kind of ["u", "a", "f"] as const) {
      const id = generateId(kind);
      expect(id).toMatch(new RegExp(`^${kind}_[A-Za-z0-9_-]{22}$`));
      expect(isId(kind, id)).toBe(true);
      expect(isId(kind === "u" ? "a" : "u", id)).toBe(false);
    }
    expect(generateId("f")).not.toBe(generateId("f"));
  });
  it("rejects other shapes and non-canonical encodings", () => {
    expect(isId("u", "u_AAAAAAAAAAAAAAAAAAAAAA")).toBe(true);
    expect(isId("u", "u_AAAAAAAAAAAAAAAAAAAAAB")).toBe(false);
    expect(isId("u", "u_AAAAAAAAAAAAAAAAAAAAA")).toBe(false);
    expect(isId("u", "u-AAAAAAAAAAAAAAAAAAAAAA")).toBe(false);
    expect(isId("u", "u_AAAAAAAAAAAAAAAAAAAA+A")).toBe(false);
    expect(isId("u", 42)).toBe(false);
    expect(() => generateId("x" as IdKind)).toThrow(InvalidInputError);
  });
});
