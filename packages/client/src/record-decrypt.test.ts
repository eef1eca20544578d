import { createHash } from "node:crypto";
import {
  encryptMetadata,
  encryptThumbnail,
  generateAlbumKey,
  generateFileKey,
  toBase64Url,
  wrapFileKey,
} from "@umbra/crypto";
import { describe, expect, it } from "vitest";
import { decryptMetadataBatch, decryptRecordThumbnail, type MetadataJob } from "./record-decrypt.js";

const ALBUM = "a_0123456789abcdefghijkl";
const FILE = "f_0123456789abcdefghijkl";
const OTHER_FILE = "f_abcdefghijkl0123456789";

async function sealedRecord(metadata: Record<string, unknown>) {
  const albumKey = generateAlbumKey();
  const fileKey = generateFileKey();
  const job: MetadataJob = {
    fileId: FILE,
    albumId: ALBUM,
    keyRef: "k",
    wrappedFileKey: toBase64Url(await wrapFileKey(albumKey, fileKey, ALBUM, FILE)),
    encryptedMetadata: toBase64Url(
      await encryptMetadata(fileKey, FILE, metadata as unknown as Parameters<typeof encryptMetadata>[2]),
    ),
  };
  return { albumKey, fileKey, job };
}

describe("record decryption", () => {
  it("opens a record's metadata and leaves the album key as it was", async () => {
    const { albumKey, job } = await sealedRecord({ name: "a.jpg", mime: "image/jpeg", size: 3 });
    const before = albumKey.slice();
    const [outcome] = await decryptMetadataBatch({ k: albumKey }, [job]);
    expect(outcome).toEqual({
      ok: true,
      metadata: { name: "a.jpg", mime: "image/jpeg", size: 3 },
      // SPEC §15: the first 22 characters of b64(SHA-256(UTF-8(encryptedMetadata as sent))).
      digest: createHash("sha256").update(job.encryptedMetadata, "utf8").digest("base64url").slice(0, 22),
    });
    expect(albumKey).toEqual(before);
  });

  it("fails one record of a batch with its stable code, not the batch", async () => {
    const good = await sealedRecord({ name: "a.jpg", mime: "image/jpeg", size: 3 });
    const swapped = { ...good.job, fileId: OTHER_FILE };
    const notBase64 = { ...good.job, encryptedMetadata: "%%%" };
    const noKey = { ...good.job, keyRef: "missing" };
    const outcomes = await decryptMetadataBatch({ k: good.albumKey }, [good.job, swapped, notBase64, noKey]);
    expect(outcomes.map((o) => (o.ok ? "ok" : o.code))).toEqual([
      "ok",
      "TAMPERED",
      "INVALID_RESPONSE",
      "NOT_FOUND",
    ]);
  });

  it("opens a thumbnail bound to its file and variant", async () => {
    const fileKey = generateFileKey();
    const sealed = await encryptThumbnail(fileKey, FILE, "grid", new Uint8Array([1, 2, 3]));
    expect(await decryptRecordThumbnail(fileKey, FILE, "grid", sealed)).toEqual(new Uint8Array([1, 2, 3]));
    await expect(decryptRecordThumbnail(fileKey, FILE, "preview", sealed)).rejects.toMatchObject({
      code: "TAMPERED",
    });
  });
});
