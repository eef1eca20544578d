import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createHmacSha256, hmacSha256Backend, portableHmacSha256 } from "./hmac-sha256.js";

describe("HMAC-SHA256 backends", () => {
  it("uses node:crypto under Node", () => {
    expect(hmacSha256Backend).toBe("node");
  });
  it("give identical MACs whatever the chunking", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 100 }),
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }),
        (key, chunks) => {
          const fast = createHmacSha256(key);
          const portable = portableHmacSha256(key);
          for (const chunk of chunks) {
            fast.update(chunk);
            portable.update(chunk);
          }
          const expected = createHmac("sha256", key).update(Buffer.concat(chunks)).digest();
          expect(new Uint8Array(fast.digest())).toEqual(new Uint8Array(expected));
          expect(portable.digest()).toEqual(new Uint8Array(expected));
        },
      ),
      { numRuns: 50 },
    );
  });
});
