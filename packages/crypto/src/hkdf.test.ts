import { describe, expect, it } from "vitest";
import { fromHex, toHex } from "./bytes.js";
import { hkdfSha256, webCryptoHkdfSha256 } from "./hkdf.js";

const RFC5869_CASE_1 = {
  ikm: fromHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"),
  salt: fromHex("000102030405060708090a0b0c"),
  info: fromHex("f0f1f2f3f4f5f6f7f8f9"),
  okm: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
};

describe("hkdfSha256", () => {
  for (const [name, derive] of [
    ["default (node:crypto in Node)", hkdfSha256],
    ["Web Crypto", webCryptoHkdfSha256],
  ] as const) {
    it(`${name} matches RFC 5869 test case 1`, async () => {
      const { ikm, salt, info, okm } = RFC5869_CASE_1;
      expect(toHex(await derive(ikm, salt, info, 42))).toBe(okm);
    });
  }

  it("gives the same bytes from both implementations with an empty salt and info", async () => {
    const ikm = fromHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    const empty = new Uint8Array(0);
    expect(toHex(await hkdfSha256(ikm, empty, empty, 32))).toBe(
      toHex(await webCryptoHkdfSha256(ikm, empty, empty, 32)),
    );
  });
});
