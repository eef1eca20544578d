import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fromBase64Url,
  fromBase64UrlJs,
  fromBase64UrlWith,
  fromHex,
  type NativeBase64,
  toBase64Url,
  toBase64UrlWith,
  toHex,
} from "./bytes.js";
import { InvalidInputError } from "./errors.js";

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
  // Node 20 has no Uint8Array.fromBase64: a stand-in as lax as the engine's loose mode (whitespace, padding and
  // leftover bits pass; any other character outside the alphabet throws), so the strictness must come from the
  // wrapper.
  const laxNative: NativeBase64 = {
    fromBase64: (text) => {
      if (/[^A-Za-z0-9_\-=\t\n\f\r ]/.test(text)) throw new SyntaxError("not base64url");
      return new Uint8Array(Buffer.from(text, "base64url"));
    },
    toBase64: (bytes) => Buffer.from(bytes).toString("base64url"),
  };
  it("decodes through the engine's codec exactly as through its own", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = toBase64UrlWith(laxNative, bytes);
        expect(text).toBe(toBase64Url(bytes));
        expect(fromBase64UrlWith(laxNative, text)).toEqual(bytes);
      }),
    );
  });
  it("refuses through the engine's codec what its own refuses", () => {
    for (const bad of [
      "AB",
      "A",
      "ab+/",
      "ab/c",
      "AAAA AAAA",
      "AAA=",
      "AA==",
      "AAAA\n",
      "QUJD!",
      "QU\u00e9D",
      "QUJé",
    ]) {
      expect(() => fromBase64UrlJs(bad), bad).toThrow(InvalidInputError);
      expect(() => fromBase64UrlWith(laxNative, bad), bad).toThrow(InvalidInputError);
    }
  });
  it("hex round-trips", () => {
    expect(toHex(fromHex("00ff10"))).toBe("00ff10");
    expect(() => fromHex("zz")).toThrow();
  });
});
