import { describe, expect, it } from "vitest";
import { generateAlbumKey } from "../master-key.js";
import {
  type AlbumKeyShareContext,
  openAlbumKey,
  SEALED_ALBUM_KEY_LENGTH,
  sealAlbumKey,
} from "./album-key-seal.js";
import { generateIdentity } from "./identity.js";

const CONTEXT: AlbumKeyShareContext = {
  albumId: "a_AAAAAAAAAAAAAAAAAAAAAA",
  recipientUserId: "u_BBBBBBBBBBBBBBBBBBBBBA",
  senderUserId: "u_AAAAAAAAAAAAAAAAAAAAAA",
  role: "viewer",
  keyVersion: 1,
};

describe("sealed album keys", () => {
  it("round-trips to the recipient, with a fresh encapsulation each time", async () => {
    const recipient = await generateIdentity();
    const albumKey = generateAlbumKey();
    const sealed = await sealAlbumKey(recipient.hpke.publicKey, albumKey, CONTEXT);
    expect(sealed.length).toBe(SEALED_ALBUM_KEY_LENGTH);
    expect(sealed[0]).toBe(1);
    expect(await openAlbumKey(recipient.hpke.privateKey, sealed, CONTEXT)).toEqual(albumKey);
    expect(await sealAlbumKey(recipient.hpke.publicKey, albumKey, CONTEXT)).not.toEqual(sealed);
  });

  it("fails with TAMPERED for a wrong recipient, any changed context field or modified bytes", async () => {
    const recipient = await generateIdentity();
    const stranger = await generateIdentity();
    const sealed = await sealAlbumKey(recipient.hpke.publicKey, generateAlbumKey(), CONTEXT);
    const tampered = { code: "TAMPERED" };
    await expect(openAlbumKey(stranger.hpke.privateKey, sealed, CONTEXT)).rejects.toMatchObject(tampered);
    const changes: Partial<AlbumKeyShareContext>[] = [
      { albumId: "a_BBBBBBBBBBBBBBBBBBBBBA" },
      { recipientUserId: "u_CCCCCCCCCCCCCCCCCCCCCA" },
      { senderUserId: "u_CCCCCCCCCCCCCCCCCCCCCA" },
      { role: "contributor" },
      { keyVersion: 2 },
    ];
    for (const change of changes) {
      await expect(
        openAlbumKey(recipient.hpke.privateKey, sealed, { ...CONTEXT, ...change }),
      ).rejects.toMatchObject(tampered);
    }
    for (const index of [1, 600, 1120, 1121, sealed.length - 1]) {
      const flipped = sealed.slice();
      flipped[index]! ^= 1;
      await expect(openAlbumKey(recipient.hpke.privateKey, flipped, CONTEXT)).rejects.toMatchObject(tampered);
    }
    await expect(
      openAlbumKey(recipient.hpke.privateKey, sealed.subarray(0, 100), CONTEXT),
    ).rejects.toMatchObject(tampered);
  });

  it("rejects an unknown version byte and bad inputs with typed errors", async () => {
    const recipient = await generateIdentity();
    const sealed = await sealAlbumKey(recipient.hpke.publicKey, generateAlbumKey(), CONTEXT);
    const other = sealed.slice();
    other[0] = 2;
    await expect(openAlbumKey(recipient.hpke.privateKey, other, CONTEXT)).rejects.toMatchObject({
      code: "UNSUPPORTED_VERSION",
    });
    await expect(
      sealAlbumKey(recipient.hpke.publicKey, generateAlbumKey(), { ...CONTEXT, role: "owner" as "viewer" }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(
      sealAlbumKey(recipient.hpke.publicKey, generateAlbumKey(), { ...CONTEXT, keyVersion: 0 }),
    ).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
    await expect(
      sealAlbumKey(recipient.signing.publicKey, generateAlbumKey(), CONTEXT),
    ).rejects.toMatchObject({
      code: "INVALID_INPUT",
    });
  });
});
