import { describe, expect, it } from "vitest";
import vectors from "../test-vectors/library-checkpoint.json" with { type: "json" };
import { fromHex, toHex } from "./bytes.js";
import {
  checkpointAssociatedData,
  checkpointHeadAssociatedData,
  deriveCheckpointKey,
  openCheckpoint,
  openCheckpointHead,
  sealCheckpoint,
  sealCheckpointHeadWith,
  sealCheckpointWith,
} from "./library-checkpoint.js";

describe("library checkpoint", () => {
  it("reproduces the vectors (key, associated data, sealed bytes)", async () => {
    for (const v of vectors.positive) {
      const key = await deriveCheckpointKey(fromHex(v.masterKey));
      expect(toHex(key)).toBe(v.checkpointKey);
      expect(toHex(checkpointAssociatedData(v.userId, v.counter))).toBe(v.associatedData);
      const draws = [...v.random];
      const sealed = await sealCheckpointWith(
        () => fromHex(draws.shift()!),
        key,
        v.userId,
        v.counter,
        fromHex(v.plaintext),
      );
      expect(toHex(sealed)).toBe(v.sealed);
      expect(toHex(await openCheckpoint(key, v.userId, v.counter, fromHex(v.sealed)))).toBe(v.plaintext);
    }
  });

  it("refuses another counter, another user and a flipped byte with TAMPERED", async () => {
    const v = vectors.positive[0]!;
    const key = await deriveCheckpointKey(fromHex(v.masterKey));
    const sealed = fromHex(v.sealed);
    await expect(openCheckpoint(key, v.userId, v.counter - 1, sealed)).rejects.toMatchObject({
      code: "TAMPERED",
    });
    await expect(openCheckpoint(key, "u_AAAAAAAAAAAAAAAAAAAAAA", v.counter, sealed)).rejects.toMatchObject({
      code: "TAMPERED",
    });
    const flipped = sealed.slice();
    flipped[20]! ^= 1;
    await expect(openCheckpoint(key, v.userId, v.counter, flipped)).rejects.toMatchObject({
      code: "TAMPERED",
    });
  });

  it("round-trips with system randomness and refuses counter 0", async () => {
    const key = await deriveCheckpointKey(new Uint8Array(32).fill(7));
    const sealed = await sealCheckpoint(key, "u_AAAAAAAAAAAAAAAAAAAAAA", 3, new Uint8Array([1, 2, 3]));
    expect([...(await openCheckpoint(key, "u_AAAAAAAAAAAAAAAAAAAAAA", 3, sealed))]).toEqual([1, 2, 3]);
    expect(() => checkpointAssociatedData("u_AAAAAAAAAAAAAAAAAAAAAA", 0)).toThrow();
  });

  it("reproduces the head vectors, and a head and a body never open as each other (TAMPERED)", async () => {
    const head = vectors.heads[0]!;
    const key = await deriveCheckpointKey(fromHex(head.masterKey));
    expect(toHex(checkpointHeadAssociatedData(head.userId, head.counter))).toBe(head.associatedData);
    const draws = [...head.random];
    const sealed = await sealCheckpointHeadWith(
      () => fromHex(draws.shift()!),
      key,
      head.userId,
      head.counter,
      fromHex(head.plaintext),
    );
    expect(toHex(sealed)).toBe(head.sealed);
    expect(toHex(await openCheckpointHead(key, head.userId, head.counter, sealed))).toBe(head.plaintext);
    await expect(openCheckpoint(key, head.userId, head.counter, sealed)).rejects.toMatchObject({
      code: "TAMPERED",
    });
    const body = vectors.positive[0]!;
    await expect(
      openCheckpointHead(key, body.userId, body.counter, fromHex(body.sealed)),
    ).rejects.toMatchObject({ code: "TAMPERED" });
    await expect(openCheckpointHead(key, head.userId, head.counter + 1, sealed)).rejects.toMatchObject({
      code: "TAMPERED",
    });
  });
});
