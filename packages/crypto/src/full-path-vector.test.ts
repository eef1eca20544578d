import { pbkdf2Sync } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fromBase64Url, fromHex, toHex } from "./bytes.js";
import type { UmbraCryptoError } from "./errors.js";
import {
  buildFullPath,
  type FullPathNegative,
  type FullPathVector,
  openFullPath,
  openNegative,
} from "./full-path-vector.js";
import { replay } from "./vector-randomness.js";

type VectorFile = FullPathVector & {
  version: number;
  generator: string;
  random: string[];
  negative: FullPathNegative[];
};

const file = JSON.parse(
  readFileSync(new URL("../test-vectors/full-path.json", import.meta.url), "utf8"),
) as VectorFile;
const { inputs, records, intermediates } = file;

describe("full-path.json (SPEC §13)", () => {
  it("has the v1 header and a content of at least two segments", () => {
    expect(file.version).toBe(1);
    expect(file.generator).toBe("packages/crypto/scripts/generate-full-path-vector.ts");
    expect(fromBase64Url(inputs.plaintext).length).toBeGreaterThan(inputs.segmentSize);
  });

  it("opens from the password alone to the plaintext, metadata and thumbnails, however the content is chunked", async () => {
    for (const chunkSize of [1000, fromBase64Url(records.file.content).length]) {
      const opened = await openFullPath(records, inputs.password, { chunkSize });
      expect(toHex(opened.masterKey)).toBe(intermediates.masterKey);
      expect(toHex(opened.albumKey)).toBe(intermediates.albumKey);
      expect(toHex(opened.fileKey)).toBe(intermediates.fileKey);
      expect(opened.albumName).toBe(inputs.albumName);
      expect(opened.metadata).toEqual(file.metadata);
      expect(opened.plaintext).toEqual(fromBase64Url(inputs.plaintext));
      expect(opened.thumbnails.grid).toEqual(fromBase64Url(inputs.thumbnails.grid));
      expect(opened.thumbnails.preview).toEqual(fromBase64Url(inputs.thumbnails.preview));
    }
  });

  it("spells out the bytes a third party needs, checked independently of the code under test", () => {
    const salt = fromBase64Url(records.keyBundle.kdf.salt);
    const password = inputs.password.normalize("NFKC");
    expect(pbkdf2Sync(password, salt, records.keyBundle.kdf.iterations, 32, "sha256").toString("hex")).toBe(
      intermediates.passwordWrappingKey,
    );
    const utf8 = (text: string) => Buffer.from(text, "utf8").toString("hex");
    expect(intermediates.contentAssociatedData).toBe(
      `${utf8("umbra/v1/file-content")}00${utf8(records.file.id)}`,
    );
    const field = (text: string) => `${Buffer.byteLength(text).toString(16).padStart(8, "0")}${utf8(text)}`;
    expect(intermediates.fileKeyAssociatedData).toBe(
      ["umbra/v1/wrap", "file-key", records.album.id, records.file.id].map(field).join(""),
    );
    expect(intermediates.albumKeyAssociatedData).toBe(
      ["umbra/v1/wrap", "album-key", records.keyBundle.userId, records.album.id].map(field).join(""),
    );
    expect(fromBase64Url(records.file.content).subarray(0, 47)).toEqual(fromHex(intermediates.streamHeader));
    expect(JSON.parse(intermediates.metadataJson)).toEqual(file.metadata);
  });

  it("re-creates every record byte for byte from the recorded random draws", async () => {
    const random = replay(file.random);
    const rebuilt = await buildFullPath(random, inputs);
    expect(random.rest()).toBe(0);
    expect(rebuilt).toEqual({ inputs, records, intermediates, metadata: file.metadata });
  });

  it.each(file.negative.map((negative) => [negative.description, negative] as const))(
    "rejects: %s",
    async (_, negative) => {
      const error = await openNegative(file, negative).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect((error as UmbraCryptoError | undefined)?.code).toBe(negative.error);
    },
  );
});
