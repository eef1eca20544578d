import { describe, expect, it } from "vitest";
import { generateAlbumKey } from "../master-key.js";
import { type AlbumKeyShareContext, sealAlbumKey } from "./album-key-seal.js";
import { type AlbumGrantFields, sealedKeyDigest, signGrant, verifyGrant } from "./grant.js";
import { generateIdentity } from "./identity.js";

const CONTEXT: AlbumKeyShareContext = {
  albumId: "a_AAAAAAAAAAAAAAAAAAAAAA",
  recipientUserId: "u_BBBBBBBBBBBBBBBBBBBBBA",
  senderUserId: "u_AAAAAAAAAAAAAAAAAAAAAA",
  role: "contributor",
  keyVersion: 3,
};

async function setup() {
  const owner = await generateIdentity();
  const recipient = await generateIdentity();
  const sealed = await sealAlbumKey(recipient.hpke.publicKey, generateAlbumKey(), CONTEXT);
  const fields: AlbumGrantFields = {
    albumId: CONTEXT.albumId,
    granteeUserId: CONTEXT.recipientUserId,
    role: CONTEXT.role,
    keyVersion: CONTEXT.keyVersion,
    sealedKeyDigest: sealedKeyDigest(sealed),
    grantedBy: CONTEXT.senderUserId,
    issuedAt: "2026-11-24T18:00:00.000Z",
  };
  return { owner, recipient, sealed, fields, grant: await signGrant(owner.signing.privateKey, fields) };
}

describe("signed grants", () => {
  it("verifies against the grantor's key and the sealed key it commits to", async () => {
    const { owner, sealed, fields, grant } = await setup();
    expect(grant).toMatchObject({ version: 1, ...fields });
    const roundTripped = JSON.parse(JSON.stringify(grant));
    expect(await verifyGrant(roundTripped, owner.signing.publicKey, sealed)).toEqual(grant);
  });

  it("ignores extra fields when signing and returns only the signed fields", async () => {
    const { owner, fields } = await setup();
    const grant = await signGrant(owner.signing.privateKey, { ...fields, extra: "x" } as AlbumGrantFields);
    expect(grant).not.toHaveProperty("extra");
    const verified = await verifyGrant({ ...grant, extra: "y" }, owner.signing.publicKey);
    expect(verified).not.toHaveProperty("extra");
  });

  it("fails with TAMPERED for any modified field, another signer, another sealed key or no signature", async () => {
    const { owner, recipient, sealed, grant } = await setup();
    const tampered = { code: "TAMPERED" };
    const changes: Record<string, unknown>[] = [
      { albumId: "a_BBBBBBBBBBBBBBBBBBBBBA" },
      { granteeUserId: "u_CCCCCCCCCCCCCCCCCCCCCA" },
      { role: "viewer" },
      { keyVersion: 4 },
      { sealedKeyDigest: sealedKeyDigest(new Uint8Array(1)) },
      { grantedBy: "u_CCCCCCCCCCCCCCCCCCCCCA" },
      { issuedAt: "2026-11-24T18:00:00.001Z" },
      { signature: undefined },
      { signature: "!!" },
    ];
    for (const change of changes) {
      await expect(verifyGrant({ ...grant, ...change }, owner.signing.publicKey)).rejects.toMatchObject(
        tampered,
      );
    }
    await expect(verifyGrant(grant, recipient.signing.publicKey)).rejects.toMatchObject(tampered);
    const forged = await signGrant(recipient.signing.privateKey, grant);
    await expect(verifyGrant(forged, owner.signing.publicKey)).rejects.toMatchObject(tampered);
    const otherSealed = sealed.slice();
    otherSealed[5]! ^= 1;
    await expect(verifyGrant(grant, owner.signing.publicKey, otherSealed)).rejects.toMatchObject(tampered);
  });

  it("rejects malformed grants with INVALID_INPUT / UNSUPPORTED_VERSION", async () => {
    const { owner, fields, grant } = await setup();
    await expect(
      signGrant(owner.signing.privateKey, { ...fields, issuedAt: "yesterday" }),
    ).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(verifyGrant({ ...grant, version: 2 }, owner.signing.publicKey)).rejects.toMatchObject({
      code: "UNSUPPORTED_VERSION",
    });
    await expect(verifyGrant({ ...grant, role: "owner" }, owner.signing.publicKey)).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
  });
});
