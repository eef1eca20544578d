import { describe, expect, it } from "vitest";
import vectors from "../../test-vectors/link-roster.json" with { type: "json" };
import { fromHex, toHex } from "../bytes.js";
import { replay } from "../vector-randomness.js";
import { openLinkOwner, sealLinkOwnerWith, signLinkRoster, verifyLinkRoster } from "./link-roster.js";

const v = vectors.positive[0]!;
const expected = { linkId: v.linkId, albumId: v.albumId, ownerId: v.ownerId };

describe("link roster", () => {
  it("reproduces the sealed owner key and the roster signature", async () => {
    const random = replay(v.random);
    const sealed = await sealLinkOwnerWith(
      random,
      fromHex(v.linkKey),
      v.linkId,
      v.albumId,
      v.ownerId,
      fromHex(v.ownerSigningPublicKey),
    );
    expect(toHex(sealed)).toBe(v.sealedOwner);
    expect(random.rest()).toBe(0);
    const owner = await openLinkOwner(
      fromHex(v.linkKey),
      v.linkId,
      v.albumId,
      v.ownerId,
      fromHex(v.sealedOwner),
    );
    expect(toHex(owner)).toBe(v.ownerSigningPublicKey);
    const payload = JSON.parse(v.roster.payload);
    expect(await signLinkRoster(fromHex(v.ownerSigningPrivateKey), payload)).toEqual(v.roster);
    expect(await verifyLinkRoster(v.roster, owner, expected)).toEqual(payload);
  });

  it("refuses another link, album or owner, and an edited payload, with TAMPERED", async () => {
    const key = fromHex(v.linkKey);
    const sealed = fromHex(v.sealedOwner);
    await expect(
      openLinkOwner(key, v.linkId, v.albumId, "u_AAAAAAAAAAAAAAAAAAAAAA", sealed),
    ).rejects.toMatchObject({
      code: "TAMPERED",
    });
    const owner = fromHex(v.ownerSigningPublicKey);
    await expect(
      verifyLinkRoster(v.roster, owner, { ...expected, albumId: "a_AAAAAAAAAAAAAAAAAAAAAA" }),
    ).rejects.toMatchObject({ code: "TAMPERED" });
    const edited = {
      ...v.roster,
      payload: v.roster.payload.replace('"contributors":[', '"contributors":[{},'),
    };
    await expect(verifyLinkRoster(edited, owner, expected)).rejects.toMatchObject({ code: "TAMPERED" });
  });
});
