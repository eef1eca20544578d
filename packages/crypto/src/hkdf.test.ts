import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "./bytes.js";
import { hkdfSha256 } from "./hkdf.js";

describe("hkdfSha256", () => {
  it("matches RFC 5869 test case 1", async () => {
    const okm = await hkdfSha256(
      fromHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
      fromHex("000102030405060708090a0b0c"),
      fromHex("f0f1f2f3f4f5f6f7f8f9"),
      42,
    );
    expect(toHex(okm)).toBe(
      "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
    );
  });
});
