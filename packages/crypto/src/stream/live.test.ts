import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { concatBytes, fromBase64Url, fromHex, toHex } from "../bytes.js";
import { UmbraCryptoError } from "../errors.js";
import { ed25519PublicKey } from "../sharing/ed25519.js";
import {
  fileRecordMessage,
  LIVE_CONTENT_DIGEST,
  verifyFileRecord,
} from "../sharing/file-record-signature.js";
import { createDecryptStream } from "./decrypt.js";
import { STREAM_HEADER_LENGTH } from "./header.js";
import { liveFinalSegmentLength, StreamSegmentOpener, StreamSegmentSealer } from "./live.js";
import { chunksOf, runTransform } from "./test-support.js";

// SPEC §6.11 (live streams) and §17.4 (the live digest) against test-vectors/live-stream.json.

interface LiveVectors {
  fileKey: string;
  associatedData: string;
  segmentSize: number;
  header: string;
  vectors: { name: string; size: number; streamPlaintextLength: number; plaintext: string; stream: string }[];
  recovery: {
    prefix: string;
    finalSegmentIndex: number;
    finalSegment: string;
    keptSize: number;
    kept: string;
  };
  negative: {
    name: string;
    expectedCode: string;
    size: number;
    emittedPlaintextLength: number;
    stream: string;
  }[];
  liveSignature: {
    label: string;
    liveContentDigest: string;
    signingPublicKey: string;
    signingSeed: string;
    fields: {
      fileId: string;
      albumId: string;
      wrappedFileKey: string;
      contentDigest: string;
      uploaderUserId: string;
    };
    message: string;
    signature: string;
  };
}

const file = JSON.parse(
  readFileSync(new URL("../../test-vectors/live-stream.json", import.meta.url), "utf8"),
) as LiveVectors;
const fileKey = fromBase64Url(file.fileKey);
const associatedData = fromBase64Url(file.associatedData);
const header = fromBase64Url(file.header);
const S = file.segmentSize;
const sealer = () => StreamSegmentSealer.create(fileKey, { associatedData, header });

async function decrypt(stream: Uint8Array, size: number, chunk = 5000) {
  return runTransform(
    createDecryptStream(fileKey, { associatedData, plaintextLength: size }),
    chunksOf(stream, [chunk]),
  );
}

describe("live streams (SPEC §6.11)", () => {
  it.each(file.vectors)(
    "$name: the writer rules give the vector's bytes, and the ordinary decryptor reads it",
    async (v) => {
      const plaintext = fromBase64Url(v.plaintext);
      const s = await sealer();
      const parts = [s.header];
      let index = 0;
      for (let at = 0; at < plaintext.length; at += S) {
        const segment = new Uint8Array(S);
        segment.set(plaintext.subarray(at, at + S));
        parts.push(await s.sealSegment(index++, segment));
      }
      parts.push(await s.sealFinalSegment(index));
      const stream = concatBytes(...parts);
      expect(toHex(stream)).toBe(toHex(fromBase64Url(v.stream)));
      expect(v.streamPlaintextLength).toBe(index * S + liveFinalSegmentLength(index));
      for (const chunk of [1000, 16_400, stream.length]) {
        const { output, error } = await decrypt(stream, v.size, chunk);
        expect(error).toBeUndefined();
        expect(toHex(output)).toBe(toHex(plaintext));
      }
    },
  );

  it("the opener tells middle segments from the final one, and refuses a foreign one", async () => {
    const v = file.vectors.find((x) => x.name === "two-segments-plus-five")!;
    const stream = fromBase64Url(v.stream);
    const opener = await StreamSegmentOpener.create(fileKey, { associatedData, header });
    const at = (i: number) => STREAM_HEADER_LENGTH + i * (S + 16);
    const flags = [];
    for (let i = 0; i < 4; i++)
      flags.push((await opener.open(i, stream.subarray(at(i), Math.min(stream.length, at(i + 1))))).isLast);
    expect(flags).toEqual([false, false, false, true]);
    await expect(opener.open(1, stream.subarray(at(0), at(1)))).rejects.toMatchObject({ code: "TAMPERED" });
  });

  it("recovery appends the same final segment whoever seals it, and keeps every whole segment", async () => {
    const { recovery } = file;
    const first = await (await sealer()).sealFinalSegment(recovery.finalSegmentIndex);
    const second = await (await sealer()).sealFinalSegment(recovery.finalSegmentIndex);
    expect(toHex(first)).toBe(toHex(second));
    expect(toHex(first)).toBe(toHex(fromBase64Url(recovery.finalSegment)));
    const { output, error } = await decrypt(
      concatBytes(fromBase64Url(recovery.prefix), first),
      recovery.keptSize,
    );
    expect(error).toBeUndefined();
    expect(toHex(output)).toBe(toHex(fromBase64Url(recovery.kept)));
  });

  it.each(file.negative)("$name: $expectedCode", async (c) => {
    const { output, error } = await decrypt(fromBase64Url(c.stream), c.size);
    expect(error).toBeInstanceOf(UmbraCryptoError);
    expect((error as UmbraCryptoError).code).toBe(c.expectedCode);
    expect(output.length).toBe(c.emittedPlaintextLength);
  });

  it("a live writer seals only full segments with recorded bytes", async () => {
    const s = await sealer();
    await expect(s.sealSegment(0, new Uint8Array(S - 1))).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(s.sealSegment(0, new Uint8Array(S + 1))).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });
});

describe("the live placement digest (SPEC §17.4)", () => {
  const v = file.liveSignature;
  it("is SHA-256 of the label, and a live placement's signature verifies (and fails for a real digest)", async () => {
    expect(LIVE_CONTENT_DIGEST).toBe(v.liveContentDigest);
    expect(toHex(fileRecordMessage(v.fields))).toBe(v.message);
    const publicKey = await ed25519PublicKey(fromBase64Url(v.signingSeed));
    expect(publicKey).toEqual(fromBase64Url(v.signingPublicKey));
    await verifyFileRecord(v.fields, v.signature, publicKey);
    const finished = { ...v.fields, contentDigest: "A".repeat(43) };
    await expect(verifyFileRecord(finished, v.signature, publicKey)).rejects.toMatchObject({
      code: "TAMPERED",
    });
    expect(fromHex(v.message).length).toBeGreaterThan(0);
  });
});
