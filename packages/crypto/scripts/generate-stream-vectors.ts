// Writes test-vectors/stream.json and test-vectors/stream-negative.json deterministically.
// Run: npx tsx packages/crypto/scripts/generate-stream-vectors.ts
import { writeFileSync } from "node:fs";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, toBase64Url, utf8Encode } from "../src/bytes.js";
import { createEncryptStreamInternal } from "../src/stream/encrypt.js";
import {
  encodeStreamHeader,
  MIN_SEGMENT_SIZE,
  NONCE_PREFIX_LENGTH,
  SALT_LENGTH,
  STREAM_HEADER_LENGTH,
  TAG_LENGTH,
} from "../src/stream/header.js";
import { deriveStreamKey, encryptSegmentWithKey } from "../src/stream/segment.js";
import { patternBytes, transformAll } from "../src/stream/test-support.js";

const S = MIN_SEGMENT_SIZE;
const STRIDE = S + TAG_LENGTH;
const outDir = new URL("../test-vectors/", import.meta.url);

/** Fixed "random" bytes: SHA-256 of a label, repeated with a counter to the wanted length. */
function fixedBytes(label: string, length: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; parts.length * 32 < length; i++)
    parts.push(sha256(utf8Encode(`umbra/stream-vectors/${label}/${i}`)));
  return concatBytes(...parts).slice(0, length);
}

const fileKey = fixedBytes("file-key", 32);
const otherKey = fixedBytes("other-file-key", 32);
const associatedData = utf8Encode("f_c3RyZWFtLXZlY3RvcnMtMQ");
const otherAssociatedData = utf8Encode("f_c3RyZWFtLXZlY3RvcnMtMg");

async function encrypt(plaintext: Uint8Array, salt: Uint8Array, noncePrefix: Uint8Array, key = fileKey) {
  const queued = [salt, noncePrefix];
  const random = (length: number) => {
    const next = queued.shift();
    if (next === undefined || next.length !== length) throw new Error("unexpected random request");
    return next;
  };
  return transformAll(createEncryptStreamInternal(key, { associatedData, segmentSize: S }, { random }), [
    plaintext,
  ]);
}

const b64 = toBase64Url;

// Positive vectors.
const lengths: [string, number][] = [
  ["empty", 0],
  ["one-byte", 1],
  ["segment-minus-one", S - 1],
  ["one-segment", S],
  ["segment-plus-one", S + 1],
  ["three-segments-plus-five", 3 * S + 5],
];
const positive = [];
for (const [name, length] of lengths) {
  const salt = fixedBytes(`${name}/salt`, SALT_LENGTH);
  const noncePrefix = fixedBytes(`${name}/nonce-prefix`, NONCE_PREFIX_LENGTH);
  const plaintext = patternBytes(length, length + 1);
  const ciphertext = await encrypt(plaintext, salt, noncePrefix);
  positive.push({
    name,
    plaintextLength: length,
    salt: b64(salt),
    noncePrefix: b64(noncePrefix),
    plaintext: b64(plaintext),
    ciphertext: b64(ciphertext),
  });
}

writeFileSync(
  new URL("stream.json", outDir),
  `${JSON.stringify(
    {
      description:
        "Umbra streaming AEAD v1 (docs/SPEC.md §6). Byte strings are unpadded base64url. " +
        "Encrypting `plaintext` with `fileKey`, `associatedData`, `segmentSize`, and the recorded salt and " +
        "nonce prefix as the random bytes must give exactly `ciphertext`. `associatedData` is an arbitrary test " +
        "value: real files use the file-content AD of SPEC §6.2 (full-path.json has one).",
      fileKey: b64(fileKey),
      associatedData: b64(associatedData),
      segmentSize: S,
      vectors: positive,
    },
    null,
    2,
  )}\n`,
);

// Negative vectors: mutations of one 3-segment stream (full, full, 5 bytes).
const basePlaintext = patternBytes(2 * S + 5, 7);
const baseSalt = fixedBytes("negative/salt", SALT_LENGTH);
const basePrefix = fixedBytes("negative/nonce-prefix", NONCE_PREFIX_LENGTH);
const base = await encrypt(basePlaintext, baseSalt, basePrefix);
const header = encodeStreamHeader(S, baseSalt, basePrefix);
const key = await deriveStreamKey(fileKey, header, associatedData);
const segment = (bytes: Uint8Array, i: number) =>
  bytes.subarray(
    STREAM_HEADER_LENGTH + i * STRIDE,
    Math.min(bytes.length, STREAM_HEADER_LENGTH + (i + 1) * STRIDE),
  );
const headerBytes = base.subarray(0, STREAM_HEADER_LENGTH);

function flipBit(bytes: Uint8Array, offset: number): Uint8Array {
  const out = bytes.slice();
  out[offset]! ^= 0x01;
  return out;
}

const otherFile = await encrypt(
  patternBytes(2 * S + 5, 8),
  fixedBytes("negative/other-salt", SALT_LENGTH),
  fixedBytes("negative/other-nonce-prefix", NONCE_PREFIX_LENGTH),
);
const sizeChanged = base.slice();
new DataView(sizeChanged.buffer).setUint32(4, 2 * S, false);
const versionChanged = base.slice();
versionChanged[3] = 0x02;
const magicChanged = base.slice();
magicChanged[0] = 0x56;
const lastFlagDropped = concatBytes(
  base.subarray(0, STREAM_HEADER_LENGTH + 2 * STRIDE),
  await encryptSegmentWithKey(key, basePrefix, 2, false, basePlaintext.subarray(2 * S)),
);
const extraSegment = concatBytes(
  base,
  await encryptSegmentWithKey(key, basePrefix, 3, true, utf8Encode("extra")),
);

interface NegativeCase {
  name: string;
  description: string;
  /** Omitted from the file when it is the unmodified base stream. */
  ciphertext: Uint8Array;
  expectedCode: "TAMPERED" | "TRUNCATED" | "UNSUPPORTED_VERSION";
  /** Plaintext bytes a correct decryptor releases before failing (the segments before the failing one). */
  emittedPlaintextLength: number;
  fileKey?: Uint8Array;
  associatedData?: Uint8Array;
  plaintextLength?: number;
}

const cases: NegativeCase[] = [
  {
    name: "header-salt-bit-flip",
    description: "one bit of the salt flipped",
    ciphertext: flipBit(base, 8),
    expectedCode: "TAMPERED",
    emittedPlaintextLength: 0,
  },
  {
    name: "header-nonce-prefix-bit-flip",
    description: "one bit of the nonce prefix flipped",
    ciphertext: flipBit(base, STREAM_HEADER_LENGTH - 1),
    expectedCode: "TAMPERED",
    emittedPlaintextLength: 0,
  },
  {
    name: "header-segment-size-changed",
    description: "segment size field changed from 16384 to 32768",
    ciphertext: sizeChanged,
    expectedCode: "TAMPERED",
    emittedPlaintextLength: 0,
  },
  {
    name: "header-version-changed",
    description: "version byte 0x02",
    ciphertext: versionChanged,
    expectedCode: "UNSUPPORTED_VERSION",
    emittedPlaintextLength: 0,
  },
  {
    name: "header-magic-changed",
    description: "magic 'VMS' instead of 'UMS'",
    ciphertext: magicChanged,
    expectedCode: "UNSUPPORTED_VERSION",
    emittedPlaintextLength: 0,
  },
  {
    name: "header-truncated",
    description: "only the first 30 bytes of the header",
    ciphertext: base.subarray(0, 30),
    expectedCode: "TRUNCATED",
    emittedPlaintextLength: 0,
  },
  {
    name: "header-only",
    description: "the header and no segment",
    ciphertext: headerBytes,
    expectedCode: "TRUNCATED",
    emittedPlaintextLength: 0,
  },
  {
    name: "segment-body-bit-flip",
    description: "one bit flipped in the ciphertext body of segment 1",
    ciphertext: flipBit(base, STREAM_HEADER_LENGTH + STRIDE + 100),
    expectedCode: "TAMPERED",
    emittedPlaintextLength: S,
  },
  {
    name: "segment-tag-bit-flip",
    description: "one bit flipped in the tag of segment 0",
    ciphertext: flipBit(base, STREAM_HEADER_LENGTH + STRIDE - 1),
    expectedCode: "TAMPERED",
    emittedPlaintextLength: 0,
  },
  {
    name: "final-segment-bit-flip",
    description: "one bit flipped in the final (short) segment",
    ciphertext: flipBit(base, base.length - 18),
    expectedCode: "TAMPERED",
    emittedPlaintextLength: 2 * S,
  },
  {
    name: "segments-reordered",
    description: "segments 0 and 1 swapped",
    ciphertext: concatBytes(headerBytes, segment(base, 1), segment(base, 0), segment(base, 2)),
    expectedCode: "TAMPERED",
    emittedPlaintextLength: 0,
  },
  {
    name: "segment-from-other-file",
    description: "segment 1 replaced by segment 1 of another stream under the same file key and AD",
    ciphertext: concatBytes(headerBytes, segment(base, 0), segment(otherFile, 1), segment(base, 2)),
    expectedCode: "TAMPERED",
    emittedPlaintextLength: S,
  },
  {
    name: "truncated-at-segment-boundary",
    description: "the final segment removed: the stream ends with segment 1, which is not flagged last",
    ciphertext: base.subarray(0, STREAM_HEADER_LENGTH + 2 * STRIDE),
    expectedCode: "TRUNCATED",
    emittedPlaintextLength: S,
  },
  {
    name: "truncated-inside-segment",
    description: "the last 3 bytes removed",
    ciphertext: base.subarray(0, base.length - 3),
    expectedCode: "TAMPERED",
    emittedPlaintextLength: 2 * S,
  },
  {
    name: "last-flag-dropped",
    description: "the final segment re-encrypted with last flag 0",
    ciphertext: lastFlagDropped,
    expectedCode: "TRUNCATED",
    emittedPlaintextLength: 2 * S,
  },
  {
    name: "extra-segment-appended",
    description: "a valid last-flagged segment 3 appended after the real final segment",
    ciphertext: extraSegment,
    expectedCode: "TAMPERED",
    emittedPlaintextLength: 2 * S,
  },
  {
    name: "trailing-byte",
    description: "one zero byte appended",
    ciphertext: concatBytes(base, new Uint8Array(1)),
    expectedCode: "TAMPERED",
    emittedPlaintextLength: 2 * S,
  },
  {
    name: "wrong-associated-data",
    description: "decrypted with another file id as associated data",
    ciphertext: base,
    associatedData: otherAssociatedData,
    expectedCode: "TAMPERED",
    emittedPlaintextLength: 0,
  },
  {
    name: "wrong-key",
    description: "decrypted with another file key",
    ciphertext: base,
    fileKey: otherKey,
    expectedCode: "TAMPERED",
    emittedPlaintextLength: 0,
  },
  {
    name: "plaintext-length-too-long",
    description: "plaintextLength one byte more than the stream holds",
    ciphertext: base,
    plaintextLength: 2 * S + 6,
    expectedCode: "TRUNCATED",
    emittedPlaintextLength: 2 * S + 5,
  },
  {
    name: "non-zero-padding",
    description: "plaintextLength one byte short, so a non-zero byte would be padding",
    ciphertext: base,
    plaintextLength: 2 * S + 4,
    expectedCode: "TAMPERED",
    emittedPlaintextLength: 2 * S,
  },
];

writeFileSync(
  new URL("stream-negative.json", outDir),
  `${JSON.stringify(
    {
      description:
        "Umbra streaming AEAD v1 negative vectors: each case is a mutation of the stream of `plaintext` and must " +
        "fail with `expectedCode`, after releasing exactly the first `emittedPlaintextLength` plaintext bytes " +
        "(never any byte of the failing segment). `fileKey`, `associatedData` and `plaintextLength` in a case " +
        "override the defaults; a case without `ciphertext` uses the top-level one (the unmodified stream). " +
        "Byte strings are unpadded base64url.",
      fileKey: b64(fileKey),
      associatedData: b64(associatedData),
      segmentSize: S,
      plaintext: b64(basePlaintext),
      ciphertext: b64(base),
      cases: cases.map((c) => ({
        name: c.name,
        description: c.description,
        expectedCode: c.expectedCode,
        emittedPlaintextLength: c.emittedPlaintextLength,
        ...(c.fileKey ? { fileKey: b64(c.fileKey) } : {}),
        ...(c.associatedData ? { associatedData: b64(c.associatedData) } : {}),
        ...(c.plaintextLength !== undefined ? { plaintextLength: c.plaintextLength } : {}),
        ...(c.ciphertext === base ? {} : { ciphertext: b64(c.ciphertext) }),
      })),
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${positive.length} positive and ${cases.length} negative stream vectors`);
