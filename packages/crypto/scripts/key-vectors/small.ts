import { toHex } from "../../src/bytes.js";
import { contentDigest, deriveDedupKey } from "../../src/dedup.js";
import { fingerprint } from "../../src/fingerprint.js";
import { generateIdWith, type IdKind } from "../../src/ids.js";
import {
  checkpointAssociatedData,
  checkpointHeadAssociatedData,
  deriveCheckpointKey,
  sealCheckpointHeadWith,
  sealCheckpointWith,
} from "../../src/library-checkpoint.js";
import { decodePaddedBlob, encodePaddedBlob, padmeLength } from "../../src/padding.js";
import { recorder, seededRandom } from "../../src/vector-randomness.js";
import { flipBit, negative, write } from "./common.js";

export async function padmeVectors(): Promise<void> {
  const rng = seededRandom("umbra/v1/test-vectors/padme");
  const lengths = [
    0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 65, 100, 255, 256, 257, 1000, 1023, 1024, 1025,
  ];
  for (let i = 0; i < 12; i++) {
    const r = new DataView(rng(8).buffer).getBigUint64(0);
    lengths.push(Number(r % BigInt(2 ** (4 + i * 4))));
  }
  lengths.push(2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 5_000_000_000, 2 ** 50);
  const padme = lengths.map((n) => ({ n, padded: padmeLength(n) }));
  const paddedBlobs = [0, 1, 4, 5, 100, 1000].map((n) => {
    const data = rng(n);
    return { data: toHex(data), blob: toHex(encodePaddedBlob(data)) };
  });
  const good = encodePaddedBlob(rng(101));
  const negatives = [
    await negative(
      "non-zero padding byte",
      "decodePaddedBlob",
      { blob: toHex(flipBit(good, good.length - 1)) },
      () => decodePaddedBlob(flipBit(good, good.length - 1)),
    ),
    await negative(
      "length prefix longer than the blob",
      "decodePaddedBlob",
      { blob: toHex(flipBit(flipBit(good, 2), 3)) },
      () => decodePaddedBlob(flipBit(flipBit(good, 2), 3)),
    ),
    await negative(
      "total length is not padmeLength(4 + n)",
      "decodePaddedBlob",
      { blob: toHex(good.subarray(0, good.length - 1)) },
      () => decodePaddedBlob(good.subarray(0, good.length - 1)),
    ),
  ];
  write(
    "padme.json",
    "Padmé lengths and the padded-blob encoding u32be(n) ‖ data ‖ zeros to padmeLength(4 + n)",
    {
      padme,
      paddedBlobs,
      negative: negatives,
    },
  );
}

export async function fingerprintVectors(): Promise<void> {
  const rng = seededRandom("umbra/v1/test-vectors/fingerprint");
  const keys = [new Uint8Array([0]), new Uint8Array(32), rng(32), rng(32), rng(32), rng(65)];
  write("fingerprint.json", "Fingerprints: SHA-256 hex, and five 20-bit slices of the hash mod 100000", {
    positive: keys.map((key) => ({ publicKey: toHex(key), ...fingerprint(key) })),
  });
}

export async function dedupVectors(): Promise<void> {
  const rng = seededRandom("umbra/v1/test-vectors/dedup");
  const positive = [];
  for (const sizes of [[], [0], [1], [64, 1], [1000, 3, 5000]]) {
    const masterKey = rng(32);
    const dedupKey = await deriveDedupKey(masterKey);
    const chunks = sizes.map((size) => rng(size));
    positive.push({
      masterKey: toHex(masterKey),
      dedupKey: toHex(dedupKey),
      chunks: chunks.map(toHex),
      digest: await contentDigest(dedupKey, chunks),
    });
  }
  write(
    "dedup.json",
    "Duplicate detection: HKDF(masterKey, info umbra/v1/dedup), base64url(HMAC-SHA256(dedupKey, content))",
    {
      positive,
    },
  );
}

export async function idVectors(): Promise<void> {
  const rng = recorder(seededRandom("umbra/v1/test-vectors/ids"));
  const positive = (["u", "a", "f", "u"] as IdKind[]).map((kind) => {
    const id = generateIdWith(rng.random, kind);
    return { kind, random: rng.take(), id };
  });
  write("ids.json", "Identifiers: kind ‖ '_' ‖ base64url(16 random bytes)", { positive });
}

export async function libraryCheckpointVectors(): Promise<void> {
  const rng = recorder(seededRandom("umbra/v1/test-vectors/library-checkpoint"));
  const masterKey = rng.random(32);
  rng.take();
  const userId = generateIdWith(seededRandom("checkpoint/user"), "u");
  const plaintext = new TextEncoder().encode(
    JSON.stringify({ v: 1, counter: 7, files: { f_example: ["digest", 0, ["a_example"]] }, albums: {} }),
  );
  const checkpointKey = await deriveCheckpointKey(masterKey);
  const sealed = await sealCheckpointWith(rng.random, checkpointKey, userId, 7, plaintext);
  const headRandom = recorder(seededRandom("umbra/v1/test-vectors/library-checkpoint-head"));
  const headJson = new TextEncoder().encode(JSON.stringify({ v: 1, hidden: ["a_example"] }));
  // The head's JSON padded with spaces to 4096 bytes (SPEC §15).
  const headPlaintext = new Uint8Array(4096).fill(0x20);
  headPlaintext.set(headJson);
  const sealedHead = await sealCheckpointHeadWith(headRandom.random, checkpointKey, userId, 7, headPlaintext);
  write(
    "library-checkpoint.json",
    "Library checkpoint and its head: HKDF key from the master key, envelopes with the counter in the AD",
    {
      positive: [
        {
          description: "counter 7",
          masterKey: toHex(masterKey),
          checkpointKey: toHex(checkpointKey),
          userId,
          counter: 7,
          associatedData: toHex(checkpointAssociatedData(userId, 7)),
          plaintext: toHex(plaintext),
          random: rng.take(),
          sealed: toHex(sealed),
        },
      ],
      heads: [
        {
          description: "the head of counter 7: one hidden album, padded to 4096 bytes",
          masterKey: toHex(masterKey),
          userId,
          counter: 7,
          associatedData: toHex(checkpointHeadAssociatedData(userId, 7)),
          plaintext: toHex(headPlaintext),
          random: headRandom.take(),
          sealed: toHex(sealedHead),
        },
      ],
    },
  );
}
