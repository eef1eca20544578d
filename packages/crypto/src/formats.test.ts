import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as formats from "./formats.js";
import { isId } from "./ids.js";
import { assertKdfParams } from "./kdf.js";

describe("@umbra/crypto/formats", () => {
  // The server may import this module (and nothing else of crypto): it must stay a leaf of plain constants.
  it("is a leaf of constants: no import, no function", () => {
    const source = readFileSync(new URL("./formats.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/^\s*(import|export\s+\*|export\s+\{[^}]*\}\s+from)\b/m);
    for (const [name, value] of Object.entries(formats)) expect(typeof value, name).not.toBe("function");
  });

  it("holds the facts crypto enforces", () => {
    const params = (iterations: number, saltBytes = formats.KDF_SALT_LENGTH) => ({
      algorithm: formats.KDF_ALGORITHM,
      iterations,
      salt: Buffer.alloc(saltBytes, 1).toString("base64url"),
    });
    expect(() => assertKdfParams(params(formats.MIN_KDF_ITERATIONS))).not.toThrow();
    expect(() => assertKdfParams(params(formats.MIN_KDF_ITERATIONS - 1))).toThrow(/below the minimum/);
    expect(() => assertKdfParams(params(formats.MAX_KDF_ITERATIONS + 1))).toThrow(/above the maximum/);
    expect(() => assertKdfParams(params(formats.MIN_KDF_ITERATIONS, formats.KDF_SALT_LENGTH - 1))).toThrow(
      /below the minimum/,
    );
    const id = `f_${"A".repeat(22)}`;
    expect(formats.FILE_ID_PATTERN.test(id) && isId("f", id)).toBe(true);
    expect(formats.LINK_ID_PATTERN.test(`l_${"A".repeat(22)}`)).toBe(true);
    expect(formats.ID_PATTERN.test(`l_${"A".repeat(22)}`)).toBe(false);
  });
});
