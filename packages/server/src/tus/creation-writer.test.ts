import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CreationWriterDeps, writeTusCreation } from "./creation-writer.js";
import { LEFT_TO_TUS, startWriterTestServer, type WriterTestServer } from "./writer-test-server.js";

describe("writeTusCreation", () => {
  let served: WriterTestServer;
  let dir: string;
  let base: string;
  let deps: CreationWriterDeps;
  const reserved: [string, number][] = [];
  let quota = Number.POSITIVE_INFINITY;
  let nextId = 0;

  beforeAll(async () => {
    served = await startWriterTestServer((_common, req, res) => writeTusCreation(deps, req, res));
    ({ dir, base } = served);
    deps = {
      ...served.deps,
      maxSize: 1000,
      newId: () => `u${++nextId}`,
      async reserve(id, size) {
        if (size > quota) throw { status_code: 507, body: '{"error":{"code":"QUOTA_EXCEEDED"}}' };
        reserved.push([id, size]);
      },
      location: (id) => `/api/uploads/${id}`,
    };
  });
  afterAll(() => served.close());

  const post = (length: number, body: Uint8Array, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/uploads`, {
      method: "POST",
      headers: {
        "tus-resumable": "1.0.0",
        "content-type": "application/offset+octet-stream",
        "upload-length": String(length),
        ...headers,
      },
      body: body as BodyInit,
    });

  it("creates the upload, stores the body and answers its URL and offset", async () => {
    const whole = await post(5, Uint8Array.of(1, 2, 3, 4, 5));
    expect(whole.status).toBe(201);
    const id = whole.headers.get("location")!.split("/").pop()!;
    expect(whole.headers.get("location")).toBe(`/api/uploads/${id}`);
    expect(whole.headers.get("upload-offset")).toBe("5");
    expect(whole.headers.get("upload-expires")).toBeNull();
    expect(reserved).toContainEqual([id, 5]);
    expect([...(await readFile(path.join(dir, id)))]).toEqual([1, 2, 3, 4, 5]);
    expect(await deps.store.getUpload(id)).toMatchObject({ size: 5, offset: 5 });
    // Part of a larger upload: the rest comes by PATCH, before the upload expires.
    const part = await post(10, Uint8Array.of(9, 9));
    expect(part.status).toBe(201);
    expect(part.headers.get("upload-offset")).toBe("2");
    expect(part.headers.get("upload-expires")).toBeTruthy();
    const partId = part.headers.get("location")!.split("/").pop()!;
    expect(await deps.store.getUpload(partId)).toMatchObject({ size: 10, offset: 2 });
  });

  it("refuses over quota (nothing created) and a body longer than the upload (413)", async () => {
    const before = reserved.length;
    quota = 3;
    try {
      const refused = await post(4, Uint8Array.of(1, 2, 3, 4));
      expect(refused.status).toBe(507);
      expect(await refused.json()).toMatchObject({ error: { code: "QUOTA_EXCEEDED" } });
      expect(reserved).toHaveLength(before);
    } finally {
      quota = Number.POSITIVE_INFINITY;
    }
    expect((await post(2, Uint8Array.of(1, 2, 3))).status).toBe(413);
  });

  it("leaves requests it does not fully understand to @tus/server", async () => {
    const empty = new Uint8Array(1);
    expect((await post(1, empty, { "upload-metadata": "name bmFtZQ==" })).status).toBe(LEFT_TO_TUS);
    expect((await post(1, empty, { "upload-concat": "partial" })).status).toBe(LEFT_TO_TUS);
    expect((await post(1, empty, { "content-type": "text/plain" })).status).toBe(LEFT_TO_TUS);
    expect((await post(1, empty, { "tus-resumable": "0.2.2" })).status).toBe(LEFT_TO_TUS);
    expect((await post(1001, empty)).status).toBe(LEFT_TO_TUS); // over maxSize: tus answers 413
    const deferred = await fetch(`${base}/api/uploads`, {
      method: "POST",
      headers: { "tus-resumable": "1.0.0", "upload-defer-length": "1" },
    });
    expect(deferred.status).toBe(LEFT_TO_TUS);
  });
});
