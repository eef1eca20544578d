import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { toBase64Url } from "../bytes.js";
import {
  ciphertextDigest,
  type FileRecordFields,
  signFileRecord,
  verifyFileRecord,
} from "./file-record-signature.js";
import { generateIdentity } from "./identity.js";

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

describe("file record signatures", () => {
  it("digests bytes and streams identically (SHA-256, base64url)", async () => {
    const blob = new Uint8Array(100_000).map((_, i) => i * 7);
    const expected = toBase64Url(sha256(blob));
    expect(await ciphertextDigest(blob)).toBe(expected);
    expect(
      await ciphertextDigest(
        streamOf([blob.subarray(0, 3), blob.subarray(3, 70_000), blob.subarray(70_000)]),
      ),
    ).toBe(expected);
    expect(await ciphertextDigest(new Uint8Array(0))).toBe("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
  });

  it("verifies a signed record and rejects missing, wrong-key and modified ones with TAMPERED", async () => {
    const uploader = await generateIdentity();
    const other = await generateIdentity();
    const fields: FileRecordFields = {
      fileId: "f_AAAAAAAAAAAAAAAAAAAAAA",
      albumId: "a_AAAAAAAAAAAAAAAAAAAAAA",
      wrappedFileKey: toBase64Url(new Uint8Array(61).fill(9)),
      contentDigest: await ciphertextDigest(new Uint8Array([1, 2, 3])),
      uploaderUserId: "u_AAAAAAAAAAAAAAAAAAAAAA",
    };
    const signature = await signFileRecord(uploader.signing.privateKey, fields);
    await expect(verifyFileRecord(fields, signature, uploader.signing.publicKey)).resolves.toBeUndefined();
    const tampered = { code: "TAMPERED" };
    for (const missing of [undefined, null, ""]) {
      await expect(verifyFileRecord(fields, missing, uploader.signing.publicKey)).rejects.toMatchObject(
        tampered,
      );
    }
    await expect(verifyFileRecord(fields, signature, other.signing.publicKey)).rejects.toMatchObject(
      tampered,
    );
    const forged = await signFileRecord(other.signing.privateKey, fields);
    await expect(verifyFileRecord(fields, forged, uploader.signing.publicKey)).rejects.toMatchObject(
      tampered,
    );
    const changes: Partial<FileRecordFields>[] = [
      { fileId: "f_BBBBBBBBBBBBBBBBBBBBBA" },
      { albumId: "a_BBBBBBBBBBBBBBBBBBBBBA" },
      { wrappedFileKey: toBase64Url(new Uint8Array(61).fill(8)) },
      { contentDigest: await ciphertextDigest(new Uint8Array([1, 2, 4])) },
      { uploaderUserId: "u_BBBBBBBBBBBBBBBBBBBBBA" },
    ];
    for (const change of changes) {
      await expect(
        verifyFileRecord({ ...fields, ...change }, signature, uploader.signing.publicKey),
      ).rejects.toMatchObject(tampered);
    }
  });

  it("rejects a malformed digest with INVALID_INPUT", async () => {
    const uploader = await generateIdentity();
    await expect(
      signFileRecord(uploader.signing.privateKey, {
        fileId: "f_AAAAAAAAAAAAAAAAAAAAAA",
        albumId: "a_AAAAAAAAAAAAAAAAAAAAAA",
        wrappedFileKey: "AAAA",
        contentDigest: "short",
        uploaderUserId: "u_AAAAAAAAAAAAAAAAAAAAAA",
      }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});
