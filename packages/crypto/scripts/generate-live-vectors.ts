// Writes test-vectors/live-stream.json deterministically (docs/SPEC.md §6.11 live streams, §17.4 live digest).
// Run: npx tsx packages/crypto/scripts/generate-live-vectors.ts
import { writeFileSync } from "node:fs";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, toBase64Url, toHex, utf8Encode } from "../src/bytes.js";
import { ed25519PublicKey } from "../src/sharing/ed25519.js";
import {
  fileRecordMessage,
  LIVE_CONTENT_DIGEST,
  signFileRecord,
} from "../src/sharing/file-record-signature.js";
import {
  encodeStreamHeader,
  MIN_SEGMENT_SIZE,
  NONCE_PREFIX_LENGTH,
  SALT_LENGTH,
} from "../src/stream/header.js";
import { liveFinalSegmentLength, StreamSegmentSealer } from "../src/stream/live.js";
import { deriveStreamKey, encryptSegmentWithKey } from "../src/stream/segment.js";
import { patternBytes } from "../src/stream/test-support.js";

const S = MIN_SEGMENT_SIZE;
const b64 = toBase64Url;

/** Fixed "random" bytes: SHA-256 of a label, repeated with a counter to the wanted length. */
function fixedBytes(label: string, length: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; parts.length * 32 < length; i++)
    parts.push(sha256(utf8Encode(`umbra/live-vectors/${label}/${i}`)));
  return concatBytes(...parts).slice(0, length);
}

const fileKey = fixedBytes("file-key", 32);
const associatedData = utf8Encode("umbra/v1/file-content\u0000f_bGl2ZS12ZWN0b3JzLWZpbGU");
const header = encodeStreamHeader(
  S,
  fixedBytes("salt", SALT_LENGTH),
  fixedBytes("nonce-prefix", NONCE_PREFIX_LENGTH),
).bytes;
const sealer = await StreamSegmentSealer.create(fileKey, { associatedData, header });

/** A live writer's whole output for `recorded` (SPEC §6.11): full segments, the zero-filled rest, the final. */
async function liveStream(recorded: Uint8Array): Promise<{ stream: Uint8Array; segments: number }> {
  const parts = [header];
  let index = 0;
  for (let at = 0; at < recorded.length; at += S) {
    const segment = new Uint8Array(S);
    segment.set(recorded.subarray(at, at + S));
    parts.push(await sealer.sealSegment(index++, segment));
  }
  parts.push(await sealer.sealFinalSegment(index));
  return { stream: concatBytes(...parts), segments: index };
}

const vectors = [];
for (const [name, length] of [
  ["empty", 0],
  ["one-byte", 1],
  ["one-segment", S],
  ["two-segments-plus-five", 2 * S + 5],
] as const) {
  const plaintext = patternBytes(length, length + 3);
  const { stream, segments } = await liveStream(plaintext);
  vectors.push({
    name,
    size: length,
    streamPlaintextLength: segments * S + liveFinalSegmentLength(segments),
    plaintext: b64(plaintext),
    stream: b64(stream),
  });
}

// An interrupted recording: two full segments reached the server, then the writer died. Any holder of the key
// appends the final segment at index 2; the recovered file keeps 2·S bytes.
const recorded = patternBytes(2 * S + 700, 11);
const interruptedPrefix = concatBytes(
  header,
  await sealer.sealSegment(0, recorded.subarray(0, S)),
  await sealer.sealSegment(1, recorded.subarray(S, 2 * S)),
);
const finalSegment = await sealer.sealFinalSegment(2);
const recovery = {
  prefix: b64(interruptedPrefix),
  finalSegmentIndex: 2,
  finalSegment: b64(finalSegment),
  keptSize: 2 * S,
  kept: b64(recorded.subarray(0, 2 * S)),
};

// Negative cases, decrypted with the ordinary decryptor and plaintextLength = size.
const key = await deriveStreamKey(
  fileKey,
  encodeStreamHeader(S, header.subarray(8, 40), header.subarray(40, 47)),
  associatedData,
);
const prefix = header.subarray(40, 47);
const sealRaw = (index: number, last: boolean, bytes: Uint8Array) =>
  encryptSegmentWithKey(key, prefix, index, last, bytes);
const negative = [
  {
    name: "interrupted, not recovered (no final segment)",
    expectedCode: "TRUNCATED",
    size: 2 * S,
    emittedPlaintextLength: S,
    stream: b64(interruptedPrefix),
  },
  {
    name: "final segment holding a data byte",
    expectedCode: "TAMPERED",
    size: 2 * S,
    emittedPlaintextLength: 2 * S,
    stream: b64(concatBytes(interruptedPrefix, await sealRaw(2, true, new Uint8Array([0x41])))),
  },
  {
    name: "a recorded segment sealed as final, then the final segment",
    expectedCode: "TAMPERED",
    size: 2 * S,
    emittedPlaintextLength: S,
    stream: b64(
      concatBytes(
        header,
        await sealer.sealSegment(0, recorded.subarray(0, S)),
        await sealRaw(1, true, recorded.subarray(S, 2 * S)),
        finalSegment,
      ),
    ),
  },
  {
    name: "a short recorded segment (sealed before it was full)",
    expectedCode: "TAMPERED",
    size: S + 700,
    emittedPlaintextLength: S,
    stream: b64(
      concatBytes(
        header,
        await sealer.sealSegment(0, recorded.subarray(0, S)),
        await sealRaw(1, false, recorded.subarray(S, S + 700)),
        finalSegment,
      ),
    ),
  },
];

// SPEC §17.4: a placement signed while live, over LIVE_CONTENT_DIGEST.
const signingSeed = fixedBytes("signing-seed", 32);
const fields = {
  fileId: "f_bGl2ZS12ZWN0b3JzLWZpbGU",
  albumId: "a_bGl2ZS12ZWN0b3JzLWFsYnVt",
  wrappedFileKey: b64(fixedBytes("wrapped-file-key", 60)),
  contentDigest: LIVE_CONTENT_DIGEST,
  uploaderUserId: "u_bGl2ZS12ZWN0b3JzLXVzZXI",
};
const liveSignature = {
  label: "umbra/v1/live-content",
  liveContentDigest: LIVE_CONTENT_DIGEST,
  signingPublicKey: b64(await ed25519PublicKey(signingSeed)),
  signingSeed: b64(signingSeed),
  fields,
  message: toHex(fileRecordMessage(fields)),
  signature: await signFileRecord(signingSeed, fields),
};

writeFileSync(
  new URL("../test-vectors/live-stream.json", import.meta.url),
  `${JSON.stringify(
    {
      description:
        "Umbra live streams (docs/SPEC.md §6.11) and the live placement digest (§17.4). Byte strings are unpadded " +
        "base64url. Each positive `stream` is what a live writer produces for `plaintext` with `fileKey`, " +
        "`associatedData` and `header`; it decrypts with the ordinary decryptor and plaintextLength = `size`. " +
        "`recovery`: appending `finalSegment` (sealed at `finalSegmentIndex` with last = 1 over its zero bytes) to " +
        "`prefix` gives a stream that decrypts to `kept`. `negative`: each fails with `expectedCode` after " +
        "releasing `emittedPlaintextLength` bytes.",
      fileKey: b64(fileKey),
      associatedData: b64(associatedData),
      segmentSize: S,
      header: b64(header),
      vectors,
      recovery,
      negative,
      liveSignature,
    },
    null,
    2,
  )}\n`,
);
