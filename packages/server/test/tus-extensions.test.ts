import { describe, expect, it } from "vitest";
import { backends } from "./harness.js";
import { signedInServerPerFile } from "./signed-in-server.js";

// A standard tus client picks what it uses from OPTIONS' Tus-Extension: each one named must work here.
describe.each(backends)("tus extensions ($name)", (backend) => {
  const server = signedInServerPerFile(backend);

  const tus = (method: string, route: string, headers: Record<string, string> = {}, body?: Uint8Array) =>
    fetch(server.base() + route, {
      method,
      headers: { authorization: `Bearer ${server.user().token}`, "tus-resumable": "1.0.0", ...headers },
      body: body as BodyInit | undefined,
    });
  const create = async (length: number, body?: Uint8Array) => {
    const headers: Record<string, string> = { "upload-length": String(length) };
    if (body) headers["content-type"] = "application/offset+octet-stream";
    const res = await tus("POST", "/api/uploads", headers, body);
    expect(res.status).toBe(201);
    return { res, location: res.headers.get("location")! };
  };

  it("advertises exactly the extensions it honours, never creation-defer-length", async () => {
    const options = await fetch(`${server.base()}/api/uploads`, { method: "OPTIONS" });
    expect(options.status).toBe(204);
    const advertised = options.headers.get("tus-extension")!.split(",").sort();
    expect(advertised).toEqual(["creation", "creation-with-upload", "expiration", "termination"]);
  });

  it("creation: an upload from Upload-Length, at offset 0", async () => {
    const { location } = await create(4);
    const head = await tus("HEAD", location);
    expect(head.status).toBe(200);
    expect(head.headers.get("upload-offset")).toBe("0");
    expect(head.headers.get("upload-length")).toBe("4");
  });

  it("creation-with-upload: the first bytes in the creation request", async () => {
    const { res, location } = await create(4, Uint8Array.of(1, 2, 3));
    expect(res.headers.get("upload-offset")).toBe("3");
    expect((await tus("HEAD", location)).headers.get("upload-offset")).toBe("3");
  });

  it("expiration: an unfinished upload says when it expires", async () => {
    const { location } = await create(4);
    const patched = await tus(
      "PATCH",
      location,
      { "upload-offset": "0", "content-type": "application/offset+octet-stream" },
      Uint8Array.of(1),
    );
    expect(patched.status).toBe(204);
    expect(Date.parse(patched.headers.get("upload-expires")!)).toBeGreaterThan(Date.now());
  });

  it("termination: DELETE ends the upload", async () => {
    const { location } = await create(4);
    expect((await tus("DELETE", location)).status).toBe(204);
    expect((await tus("HEAD", location)).status).toBe(404);
  });
});
