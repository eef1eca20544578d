import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeAssociatedData } from "./associated-data.js";
import { fromHex, toHex } from "./bytes.js";
import { InvalidInputError, TamperedError, UnsupportedVersionError } from "./errors.js";
import { type KeyContext, keyContextAssociatedData } from "./key-context.js";
import { unwrapAlbumKey, unwrapFileKey, wrapAlbumKey, wrapFileKey } from "./key-hierarchy.js";
import { generateAlbumKey, generateFileKey, generateMasterKey } from "./master-key.js";
import { unwrapKey, wrapKey } from "./wrap.js";

const ctx: KeyContext = { purpose: "album-key", ownerId: "u_owner", objectId: "a_album" };

describe("encodeAssociatedData", () => {
  it("length-prefixes each field big-endian", () => {
    expect(toHex(encodeAssociatedData(["ab", "", "é"]))).toBe("000000026162" + "00000000" + "00000002c3a9");
  });
  it("is injective over field sequences", () => {
    fc.assert(
      fc.property(fc.array(fc.string()), fc.array(fc.string()), (a, b) => {
        const same = toHex(encodeAssociatedData(a)) === toHex(encodeAssociatedData(b));
        expect(same).toBe(JSON.stringify(a) === JSON.stringify(b));
      }),
    );
  });
  it("rejects lone surrogates, which UTF-8 would silently replace", () => {
    expect(() => encodeAssociatedData(["\ud800"])).toThrow(InvalidInputError);
  });
  it("binds the label and the context", () => {
    expect(toHex(keyContextAssociatedData(ctx))).toBe(
      toHex(encodeAssociatedData(["umbra/v1/wrap", "album-key", "u_owner", "a_album"])),
    );
  });
});

describe("wrapKey / unwrapKey", () => {
  it("round-trips with a fresh IV each time", async () => {
    const kek = generateMasterKey();
    const key = generateAlbumKey();
    const a = await wrapKey(kek, key, ctx);
    const b = await wrapKey(kek, key, ctx);
    expect(a).toHaveLength(1 + 12 + 32 + 16);
    expect(a[0]).toBe(1);
    expect(toHex(a)).not.toBe(toHex(b));
    expect(await unwrapKey(kek, a, ctx)).toEqual(key);
  });
  it("fails with TAMPERED for a wrong key, context or any flipped bit", async () => {
    const kek = generateMasterKey();
    const wrapped = await wrapKey(kek, generateFileKey(), ctx);
    await expect(unwrapKey(generateMasterKey(), wrapped, ctx)).rejects.toThrow(TamperedError);
    for (const other of [
      { ...ctx, purpose: "file-key" as const },
      { ...ctx, ownerId: "u_other" },
      { ...ctx, objectId: "a_other" },
    ]) {
      await expect(unwrapKey(kek, wrapped, other)).rejects.toThrow(TamperedError);
    }
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 8, max: wrapped.length * 8 - 1 }), async (bit) => {
        const bad = wrapped.slice();
        bad[bit >> 3]! ^= 1 << (bit & 7);
        await expect(unwrapKey(kek, bad, ctx)).rejects.toThrow(TamperedError);
      }),
      { numRuns: 50 },
    );
    await expect(unwrapKey(kek, wrapped.subarray(0, 28), ctx)).rejects.toThrow(TamperedError);
    await expect(unwrapKey(kek, new Uint8Array(0), ctx)).rejects.toThrow(TamperedError);
  });
  it("rejects an unknown version byte with UNSUPPORTED_VERSION", async () => {
    const kek = generateMasterKey();
    const wrapped = await wrapKey(kek, generateFileKey(), ctx);
    wrapped[0] = 2;
    await expect(unwrapKey(kek, wrapped, ctx)).rejects.toThrow(UnsupportedVersionError);
  });
  it("validates its inputs", async () => {
    const kek = generateMasterKey();
    await expect(wrapKey(kek.subarray(1), kek, ctx)).rejects.toThrow(InvalidInputError);
    await expect(wrapKey(kek, new Uint8Array(0), ctx)).rejects.toThrow(InvalidInputError);
    const bad = { ...ctx, purpose: "nope" } as unknown as KeyContext;
    await expect(wrapKey(kek, kek, bad)).rejects.toThrow(InvalidInputError);
    await expect(wrapKey(kek, kek, { ...ctx, ownerId: "" })).rejects.toThrow(InvalidInputError);
    await expect(unwrapKey(kek, fromHex("01"), { ...ctx, objectId: "" })).rejects.toThrow(InvalidInputError);
  });
});

describe("album and file key wraps", () => {
  it("bind the album key to its user and the file key to its album", async () => {
    const master = generateMasterKey();
    const albumKey = generateAlbumKey();
    const fileKey = generateFileKey();
    const wrappedAlbum = await wrapAlbumKey(master, albumKey, "u_1", "a_1");
    expect(await unwrapAlbumKey(master, wrappedAlbum, "u_1", "a_1")).toEqual(albumKey);
    await expect(unwrapAlbumKey(master, wrappedAlbum, "u_2", "a_1")).rejects.toThrow(TamperedError);
    const wrappedFile = await wrapFileKey(albumKey, fileKey, "a_1", "f_1");
    expect(await unwrapFileKey(albumKey, wrappedFile, "a_1", "f_1")).toEqual(fileKey);
    await expect(unwrapFileKey(albumKey, wrappedFile, "a_2", "f_1")).rejects.toThrow(TamperedError);
    await expect(unwrapFileKey(albumKey, wrappedFile, "a_1", "f_2")).rejects.toThrow(TamperedError);
    // A wrapped file key presented as an album key fails even under the same wrapping key.
    await expect(
      unwrapKey(albumKey, wrappedFile, { purpose: "album-key", ownerId: "a_1", objectId: "f_1" }),
    ).rejects.toThrow(TamperedError);
  });
});
