import { describe, expect, it } from "vitest";
import { fromBase64Url } from "../bytes.js";
import { newKdfParams } from "../kdf.js";
import { generateAlbumKey } from "../master-key.js";
import { type LinkKdfParams, newLinkKdfParams } from "./link-password-kdf.js";
import {
  deriveLinkKeys,
  generateLinkSecret,
  type LinkTarget,
  unwrapKeyForLink,
  wrapKeyForLink,
} from "./public-link.js";

const ALBUM = "a_AAAAAAAAAAAAAAAAAAAAAA";

describe("public links", () => {
  it("derives a stable link id and key from a 32-byte secret, different per secret", async () => {
    const secret = generateLinkSecret();
    expect(fromBase64Url(secret).length).toBe(32);
    const keys = await deriveLinkKeys(secret);
    expect(keys.linkId).toMatch(/^l_[A-Za-z0-9_-]{22}$/);
    expect(keys.linkKey.length).toBe(32);
    expect(await deriveLinkKeys(secret)).toEqual(keys);
    const other = await deriveLinkKeys(generateLinkSecret());
    expect(other.linkId).not.toBe(keys.linkId);
    expect(other.linkKey).not.toEqual(keys.linkKey);
    await expect(deriveLinkKeys("AAAA")).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("wraps an album key for a link; other link, object or purpose → TAMPERED", async () => {
    const { linkId, linkKey } = await deriveLinkKeys(generateLinkSecret());
    const other = await deriveLinkKeys(generateLinkSecret());
    const albumKey = generateAlbumKey();
    const target: LinkTarget = { purpose: "link-album-key", linkId, objectId: ALBUM };
    const wrapped = await wrapKeyForLink(linkKey, albumKey, target);
    expect(await unwrapKeyForLink(linkKey, wrapped, target)).toEqual(albumKey);
    const tampered = { code: "TAMPERED" };
    await expect(unwrapKeyForLink(other.linkKey, wrapped, target)).rejects.toMatchObject(tampered);
    await expect(
      unwrapKeyForLink(linkKey, wrapped, { ...target, linkId: other.linkId }),
    ).rejects.toMatchObject(tampered);
    await expect(
      unwrapKeyForLink(linkKey, wrapped, { ...target, objectId: "a_BBBBBBBBBBBBBBBBBBBBBA" }),
    ).rejects.toMatchObject(tampered);
    await expect(
      unwrapKeyForLink(linkKey, wrapped, { ...target, purpose: "link-file-key" }),
    ).rejects.toMatchObject(tampered);
    await expect(
      unwrapKeyForLink(linkKey, wrapped, { ...target, purpose: "album-key" as "link-album-key" }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  const formats: [string, () => LinkKdfParams, Record<string, number>][] = [
    ["v2, Argon2id (new links)", newLinkKdfParams, { memoryKiB: 19_456 }],
    ["v1, PBKDF2 (links made before v2)", newKdfParams, { iterations: 1000 }],
  ];
  it.each(formats)(
    "with a password (%s): needs both link key and password; wrong password → WRONG_PASSWORD",
    async (_format, newParams, weaker) => {
      const { linkId, linkKey } = await deriveLinkKeys(generateLinkSecret());
      const fileKey = generateAlbumKey();
      const target: LinkTarget = { purpose: "link-file-key", linkId, objectId: "f_AAAAAAAAAAAAAAAAAAAAAA" };
      const password = { password: "correct horse", kdf: newParams() };
      const wrapped = await wrapKeyForLink(linkKey, fileKey, target, password);
      expect(await unwrapKeyForLink(linkKey, wrapped, target, password)).toEqual(fileKey);
      await expect(
        unwrapKeyForLink(linkKey, wrapped, target, { ...password, password: "wrong horse" }),
      ).rejects.toMatchObject({ code: "WRONG_PASSWORD" });
      // The password alone is not enough, nor is the link key alone.
      await expect(unwrapKeyForLink(linkKey, wrapped, target)).rejects.toMatchObject({ code: "TAMPERED" });
      const other = await deriveLinkKeys(generateLinkSecret());
      await expect(unwrapKeyForLink(other.linkKey, wrapped, target, password)).rejects.toMatchObject({
        code: "WRONG_PASSWORD",
      });
      await expect(
        wrapKeyForLink(linkKey, fileKey, target, {
          ...password,
          kdf: { ...password.kdf, ...weaker } as LinkKdfParams,
        }),
      ).rejects.toMatchObject({ code: "WEAK_KDF_PARAMS" });
    },
  );
});
