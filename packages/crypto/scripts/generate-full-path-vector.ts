/**
 * Writes test-vectors/full-path.json (SPEC §13): password → master key → library album key → file key → content,
 * metadata and thumbnails of one file, as the client makes them, with every random draw recorded.
 * Run from the repository root: `npx tsx packages/crypto/scripts/generate-full-path-vector.ts`.
 */
import { writeFileSync } from "node:fs";
import { fromBase64Url, toBase64Url, toHex, utf8Encode } from "../src/bytes.js";
import { buildFullPath, type FullPathNegative, openNegative } from "../src/full-path-vector.js";
import { MIN_SEGMENT_SIZE, STREAM_HEADER_LENGTH, TAG_LENGTH } from "../src/stream/header.js";
import { recorder, seededRandom } from "../src/vector-randomness.js";
import { errorCode, flipBit } from "./key-vectors/common.js";

const SEED = "umbra/v1/test-vectors/full-path";
const GENERATOR = "packages/crypto/scripts/generate-full-path-vector.ts";
// Test data of its own, so the draws of the path start at the seed's first block.
const data = seededRandom(`${SEED}/data`);
// 20,000 bytes pad to padmeLength(20000) = 20,480: one full 16 KiB segment and a 4 KiB final one.
const PLAINTEXT_LENGTH = 20_000;

const draws = recorder(seededRandom(SEED));
const vector = await buildFullPath(draws.random, {
  password: "Umbra full path: cafe\u0301 ﬁle",
  albumName: "Library",
  segmentSize: MIN_SEGMENT_SIZE,
  file: {
    name: "IMG_0042.JPG",
    mime: "image/jpeg",
    takenAt: "2025-06-01T09:30:00.000Z",
    width: 64,
    height: 48,
  },
  plaintext: toBase64Url(data(PLAINTEXT_LENGTH)),
  thumbnails: { grid: toBase64Url(data(96)), preview: toBase64Url(data(320)) },
});
const random = draws.take();

const { records } = vector;
const content = fromBase64Url(records.file.content);
const firstSegmentEnd = STREAM_HEADER_LENGTH + MIN_SEGMENT_SIZE + TAG_LENGTH;
const otherFileId = `f_${"A".repeat(22)}`;
const cases: Omit<FullPathNegative, "error">[] = [
  { description: "wrong password", password: `${vector.inputs.password}!` },
  {
    description: "KDF iterations lowered to 100,000 by the server",
    records: { keyBundle: { kdf: { ...records.keyBundle.kdf, iterations: 100_000 } } },
  },
  {
    description: "the key bundle presented for another user id",
    records: { keyBundle: { userId: `u_${"A".repeat(22)}` } },
  },
  {
    description: "a flipped bit in the wrapped album key",
    records: {
      album: { wrappedAlbumKey: toBase64Url(flipBit(fromBase64Url(records.album.wrappedAlbumKey), 20)) },
    },
  },
  {
    description: "the file record (wrapped file key, metadata, blobs) presented under another file id",
    records: { file: { id: otherFileId } },
  },
  {
    description:
      "content opened with the bare file id as associated data (the label and the 0x00 byte missing)",
    contentAssociatedData: toHex(utf8Encode(records.file.id)),
  },
  {
    description: "content of another file id (its metadata and key kept)",
    contentAssociatedData: toHex(utf8Encode(`umbra/v1/file-content\u0000${otherFileId}`)),
  },
  {
    description: "a flipped bit in the first content segment",
    records: { file: { content: toBase64Url(flipBit(content, STREAM_HEADER_LENGTH + 100)) } },
  },
  {
    description: "content cut after its first segment (the final segment removed)",
    records: { file: { content: toBase64Url(content.slice(0, firstSegmentEnd)) } },
  },
  {
    description: "the grid thumbnail served as the metadata",
    records: { file: { encryptedMetadata: records.file.thumbnails.grid } },
  },
  {
    description: "the grid and preview thumbnails swapped",
    records: {
      file: { thumbnails: { grid: records.file.thumbnails.preview, preview: records.file.thumbnails.grid } },
    },
  },
];
const negative: FullPathNegative[] = [];
for (const change of cases) {
  const error = await errorCode(() => openNegative(vector, { ...change, error: "" }));
  negative.push({ ...change, error });
}

const file = {
  version: 1,
  description:
    "One account's whole path, SPEC §13: the password unwraps the master key (key bundle), the master key the " +
    "library album key (and its name), the album key the file key (AD: file-key, album id, file id), the file key " +
    "the content stream (AD: UTF-8 'umbra/v1/file-content' ‖ 0x00 ‖ UTF-8 file id, padded to Padmé, " +
    "stopped at metadata.size), the metadata and both thumbnails. Records are base64url as stored on the server; " +
    "intermediates are hex. `random` lists every random draw in the client's order (user id, master key, KDF " +
    "salt, wrap IV, album id, album key, name IV, wrap IV, file id, file key, wrap IV, stream salt, nonce prefix, " +
    "grid IV, preview IV, metadata IV). Each negative opens the whole path again with one thing changed.",
  generator: GENERATOR,
  seed: SEED,
  random,
  ...vector,
  negative,
};
writeFileSync(
  new URL("../test-vectors/full-path.json", import.meta.url),
  `${JSON.stringify(file, null, 2)}\n`,
);
console.log(`wrote full-path.json (${random.length} draws, ${negative.length} negatives)`);
