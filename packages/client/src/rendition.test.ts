import { readFileSync } from "node:fs";
import { createDecryptStream, createEncryptStream } from "@umbra/crypto/stream";
import { describe, expect, it } from "vitest";
import type { FileMetadata } from "./metadata.js";
import {
  checkRenditionLength,
  RENDITION_LABEL,
  renditionAssociatedData,
  renditionCiphertextLength,
  renditionInfoOf,
} from "./rendition.js";

interface RenditionVector {
  label: string;
  fileId: string;
  fileKey: string;
  associatedData: string;
  contentAssociatedData: string;
  segmentSize: number;
  paddedLength: number;
  metadataExtra: { rendition: object };
  plaintext: string;
  ciphertext: string;
}
const vector = JSON.parse(
  readFileSync(new URL("../../crypto/test-vectors/rendition.json", import.meta.url), "utf8"),
) as RenditionVector;
const hex = (s: string) => Uint8Array.from(Buffer.from(s, "hex"));
const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const run = async (bytes: Uint8Array, transform: TransformStream<Uint8Array, Uint8Array>) =>
  new Uint8Array(
    await new Response(
      new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(transform),
    ).arrayBuffer(),
  );

describe("rendition format (SPEC §6.10, test-vectors/rendition.json)", () => {
  it("associated data is the label, a zero byte and the file id", () => {
    expect(vector.label).toBe(RENDITION_LABEL);
    expect(toHex(renditionAssociatedData(vector.fileId))).toBe(vector.associatedData);
    expect(vector.associatedData).toBe(
      "756d6272612f76312f66696c652d72656e646974696f6e00665f41414141414141414141414141414141414141414141",
    );
    expect(() => renditionAssociatedData("a_AAAAAAAAAAAAAAAAAAAAAA")).toThrow();
  });

  it("the vector decrypts to its plaintext, re-encrypts to its bytes, and fails under the content's AD", async () => {
    const key = hex(vector.fileKey);
    const info = renditionInfoOf(vector.fileId, {
      name: "x",
      mime: "video/quicktime",
      size: 1,
      extra: vector.metadataExtra,
    } as FileMetadata)!;
    const ciphertext = hex(vector.ciphertext);
    expect(renditionCiphertextLength(info)).toBe(ciphertext.length);
    const plaintext = await run(
      ciphertext,
      createDecryptStream(key, {
        associatedData: renditionAssociatedData(vector.fileId),
        plaintextLength: info.size,
      }),
    );
    expect(toHex(plaintext)).toBe(vector.plaintext);
    const again = await run(
      plaintext,
      createEncryptStream(key, {
        associatedData: renditionAssociatedData(vector.fileId),
        segmentSize: vector.segmentSize,
        padToLength: vector.paddedLength,
        header: ciphertext.subarray(0, 47),
      }),
    );
    expect(toHex(again)).toBe(vector.ciphertext);
    await expect(
      run(ciphertext, createDecryptStream(key, { associatedData: hex(vector.contentAssociatedData) })),
    ).rejects.toMatchObject({ code: "TAMPERED" });
  });

  it("reads extra.rendition strictly: absent is none, malformed is the writer's fault", () => {
    const base = { name: "clip.mov", mime: "video/quicktime", size: 10 } as FileMetadata;
    expect(renditionInfoOf("f_AAAAAAAAAAAAAAAAAAAAAA", base)).toBeUndefined();
    for (const rendition of [
      { mime: "video/mp4", size: -1, segmentSize: 65536 },
      { mime: "video/mp4", size: 10, segmentSize: 65535 },
      { mime: "", size: 10, segmentSize: 65536 },
      "video/mp4",
    ])
      expect(() => renditionInfoOf("f_AAAAAAAAAAAAAAAAAAAAAA", { ...base, extra: { rendition } })).toThrow(
        expect.objectContaining({ code: "INVALID_RESPONSE" }),
      );
  });

  it("a served length other than the promised one is refused: shorter TRUNCATED, longer TAMPERED", () => {
    expect(() => checkRenditionLength("f_x", 100, 100)).not.toThrow();
    expect(() => checkRenditionLength("f_x", 99, 100)).toThrow(
      expect.objectContaining({ code: "TRUNCATED" }),
    );
    expect(() => checkRenditionLength("f_x", 101, 100)).toThrow(
      expect.objectContaining({ code: "TAMPERED" }),
    );
  });
});
