/**
 * Writes packages/crypto/test-vectors/rendition.json (SPEC §6.10): one file's rendition stream, its associated
 * data spelled out, deterministic (key, file id, salt, nonce prefix and plaintext from SHA-256 of labels).
 * Run from the repository root: `npx tsx --conditions=source packages/client/scripts/generate-rendition-vector.ts`.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { fileContentAssociatedData, padmeLength } from "@umbra/crypto";
import { createEncryptStream, MIN_SEGMENT_SIZE } from "@umbra/crypto/stream";
import { RENDITION_LABEL, renditionAssociatedData } from "../src/rendition.js";

const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const OUT = "packages/crypto/test-vectors/rendition.json";
const SEED = "umbra/v1/test-vectors/rendition";

/** n bytes from SHA-256(SEED/label/counter) blocks. */
function seeded(label: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0, block = 0; i < n; block++) {
    const digest = createHash("sha256").update(`${SEED}/${label}/${block}`).digest();
    out.set(digest.subarray(0, Math.min(32, n - i)), i);
    i += 32;
  }
  return out;
}

// 20,000 bytes pad to padmeLength(20000) = 20,480: one full 16 KiB segment and a 4 KiB final one.
const PLAINTEXT_LENGTH = 20_000;
const fileId = "f_AAAAAAAAAAAAAAAAAAAAAA";
const fileKey = seeded("file-key", 32);
const salt = seeded("salt", 32);
const noncePrefix = seeded("nonce-prefix", 7);
const plaintext = seeded("plaintext", PLAINTEXT_LENGTH);

const header = new Uint8Array(47);
header.set([0x55, 0x4d, 0x53, 0x01]);
new DataView(header.buffer).setUint32(4, MIN_SEGMENT_SIZE);
header.set(salt, 8);
header.set(noncePrefix, 40);

const associatedData = renditionAssociatedData(fileId);
const ciphertext = new Uint8Array(
  await new Response(
    new Blob([plaintext as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
      createEncryptStream(fileKey, {
        associatedData,
        segmentSize: MIN_SEGMENT_SIZE,
        padToLength: padmeLength(PLAINTEXT_LENGTH),
        header,
      }),
    ),
  ).arrayBuffer(),
);

const vector = {
  version: 1,
  description:
    "A file's rendition, SPEC §6.10: a v1 stream (§6) under the file key with associated data UTF-8('umbra/v1/file-rendition') ‖ 0x00 ‖ UTF-8(fileId), padded to padmeLength(size). Decrypting it with the content's associated data must fail with TAMPERED. `metadataExtra` is what the file's metadata records in extra.rendition. All values hex except ids.",
  generator: "packages/client/scripts/generate-rendition-vector.ts",
  label: RENDITION_LABEL,
  fileId,
  fileKey: toHex(fileKey),
  associatedData: toHex(associatedData),
  contentAssociatedData: toHex(fileContentAssociatedData(fileId)),
  segmentSize: MIN_SEGMENT_SIZE,
  salt: toHex(salt),
  noncePrefix: toHex(noncePrefix),
  paddedLength: padmeLength(PLAINTEXT_LENGTH),
  metadataExtra: { rendition: { mime: "video/mp4", size: PLAINTEXT_LENGTH, segmentSize: MIN_SEGMENT_SIZE } },
  plaintext: toHex(plaintext),
  ciphertext: toHex(ciphertext),
};
writeFileSync(OUT, `${JSON.stringify(vector, null, 2)}\n`);
console.log(`wrote ${OUT} (${ciphertext.length} ciphertext bytes)`);
