import { readFile } from "node:fs/promises";
import path from "node:path";
import { Upload } from "@tus/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PatchWriterDeps, writeTusPatch } from "./patch-writer.js";
import { LEFT_TO_TUS, startWriterTestServer, type WriterTestServer } from "./writer-test-server.js";

describe("writeTusPatch", () => {
  let served: WriterTestServer;
  let dir: string;
  let base: string;
  let deps: PatchWriterDeps;

  beforeAll(async () => {
    served = await startWriterTestServer((common, req, res) =>
      writeTusPatch(common, req.url!.slice(1), req, res),
    );
    ({ dir, base, deps } = served);
  });
  afterAll(() => served.close());

  const create = async (id: string, size: number) => {
    await deps.store.create(new Upload({ id, size, offset: 0 }));
  };
  const patch = (id: string, offset: number, body: Uint8Array, headers: Record<string, string> = {}) =>
    fetch(`${base}/${id}`, {
      method: "PATCH",
      headers: {
        "tus-resumable": "1.0.0",
        "content-type": "application/offset+octet-stream",
        "upload-offset": String(offset),
        ...headers,
      },
      body: body as BodyInit,
    });

  it("appends at the current offset and answers the new one", async () => {
    await create("a1", 10);
    const first = await patch("a1", 0, Uint8Array.of(1, 2, 3, 4));
    expect(first.status).toBe(204);
    expect(first.headers.get("upload-offset")).toBe("4");
    expect(first.headers.get("tus-resumable")).toBe("1.0.0");
    expect(first.headers.get("upload-expires")).toBeTruthy();
    const second = await patch("a1", 4, Uint8Array.of(5, 6, 7, 8, 9, 10));
    expect(second.status).toBe(204);
    expect(second.headers.get("upload-offset")).toBe("10");
    expect([...(await readFile(path.join(dir, "a1")))]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await deps.store.getUpload("a1")).offset).toBe(10);
  });

  it("refuses a wrong offset (409) and bytes beyond the declared size (413) without writing", async () => {
    await create("a2", 4);
    expect((await patch("a2", 2, Uint8Array.of(1))).status).toBe(409);
    expect((await patch("a2", 0, new Uint8Array(5))).status).toBe(413);
    expect((await deps.store.getUpload("a2")).offset).toBe(0);
    expect((await patch("missing", 0, Uint8Array.of(1))).status).toBe(404);
  });

  it("leaves requests it does not fully understand to @tus/server", async () => {
    await create("a3", 4);
    expect((await patch("a3", 0, Uint8Array.of(1), { "tus-resumable": "0.2.2" })).status).toBe(LEFT_TO_TUS);
    expect((await patch("a3", 0, Uint8Array.of(1), { "upload-checksum": "sha1 AAAA" })).status).toBe(
      LEFT_TO_TUS,
    );
    expect((await patch("a3", 0, Uint8Array.of(1), { "content-type": "text/plain" })).status).toBe(
      LEFT_TO_TUS,
    );
    expect((await deps.store.getUpload("a3")).offset).toBe(0);
  });
});
