import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromBase64Url, fromHex, toBase64Url, toHex } from "./bytes.js";

describe("base64url", () => {
  it("matches Node's encoder and round-trips", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString("base64url"));
        expect(fromBase64Url(text)).toEqual(bytes);
      }),
    );
  });
  it("rejects non-canonical and invalid text", () => {
    expect(() => fromBase64Url("AB")).toThrow(/Non-canonical/);
    expect(() => fromBase64Url("A")).toThrow(/length/);
    expect(() => fromBase64Url("ab+/")).toThrow(/character/);
  });
  it("hex round-trips", () => {
    expect(toHex(fromHex("00ff10"))).toBe("00ff10");
    expect(() => fromHex("zz")).toThrow();
  });
});
