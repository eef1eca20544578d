import { describe, expect, it } from "vitest";
import { TamperedError } from "../errors.js";
import { generateAlbumKey } from "../master-key.js";
import { unwrapPreviousAlbumKey, wrapPreviousAlbumKey } from "./album-key-chain.js";

const albumId = "a_AAAAAAAAAAAAAAAAAAAAAA";

describe("album key chain", () => {
  it("recovers the previous key from the next one", async () => {
    const v1 = generateAlbumKey();
    const v2 = generateAlbumKey();
    const wrapped = await wrapPreviousAlbumKey(v2, v1, albumId, 1);
    expect(await unwrapPreviousAlbumKey(v2, wrapped, albumId, 1)).toEqual(v1);
  });

  it("refuses another key, album or version", async () => {
    const v1 = generateAlbumKey();
    const v2 = generateAlbumKey();
    const wrapped = await wrapPreviousAlbumKey(v2, v1, albumId, 1);
    await expect(unwrapPreviousAlbumKey(v1, wrapped, albumId, 1)).rejects.toBeInstanceOf(TamperedError);
    await expect(unwrapPreviousAlbumKey(v2, wrapped, "a_BBBBBBBBBBBBBBBBBBBBBB", 1)).rejects.toBeInstanceOf(
      TamperedError,
    );
    await expect(unwrapPreviousAlbumKey(v2, wrapped, albumId, 2)).rejects.toBeInstanceOf(TamperedError);
  });
});
