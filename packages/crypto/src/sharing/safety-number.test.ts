import { describe, expect, it } from "vitest";
import { fromBase64Url } from "../bytes.js";
import { generateIdentity, type Identity } from "./identity.js";
import type { PublicKeys } from "./public-key-bundle.js";
import { safetyNumber } from "./safety-number.js";

const keysOf = (userId: string, identity: Identity): PublicKeys => ({
  userId,
  hpkePublicKey: identity.hpke.publicKey,
  signingPublicKey: identity.signing.publicKey,
});

describe("safety numbers", () => {
  it("is 60 digits in 12 groups of 5, the same from both sides, with a 65-byte QR payload", async () => {
    const alice = keysOf("u_AAAAAAAAAAAAAAAAAAAAAA", await generateIdentity());
    const bob = keysOf("u_BBBBBBBBBBBBBBBBBBBBBA", await generateIdentity());
    const fromAlice = safetyNumber(alice, bob);
    expect(fromAlice.digits).toMatch(/^\d{5}( \d{5}){11}$/);
    expect(safetyNumber(bob, alice)).toEqual(fromAlice);
    const qr = fromBase64Url(fromAlice.qrPayload);
    expect(qr.length).toBe(65);
    expect(qr[0]).toBe(1);
  });

  it("changes when either user's signing or HPKE key changes, and keeps the other half", async () => {
    const aliceIdentity = await generateIdentity();
    const alice = keysOf("u_AAAAAAAAAAAAAAAAAAAAAA", aliceIdentity);
    const bob = keysOf("u_BBBBBBBBBBBBBBBBBBBBBA", await generateIdentity());
    const mallory = await generateIdentity();
    const base = safetyNumber(alice, bob);
    const swappedHpke = safetyNumber({ ...alice, hpkePublicKey: mallory.hpke.publicKey }, bob);
    const swappedSigning = safetyNumber({ ...alice, signingPublicKey: mallory.signing.publicKey }, bob);
    for (const changed of [swappedHpke, swappedSigning]) {
      expect(changed.digits.slice(0, 35)).not.toBe(base.digits.slice(0, 35));
      expect(changed.digits.slice(36)).toBe(base.digits.slice(36));
      expect(changed.qrPayload).not.toBe(base.qrPayload);
    }
  });

  it("rejects the same user twice", async () => {
    const alice = keysOf("u_AAAAAAAAAAAAAAAAAAAAAA", await generateIdentity());
    expect(() => safetyNumber(alice, alice)).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
  });
});
