import { describe, expect, it } from "vitest";
import { isAppShellManifest, shellRequestKind } from "./app-shell-cache.js";

const origin = "https://umbra.example";
const req = (url: string, mode = "cors", method = "GET") => ({ url: origin + url, mode, method });

describe("app shell cache", () => {
  it("answers page loads and the app's files, never the API, media or other origins", () => {
    expect(shellRequestKind(req("/", "navigate"), origin)).toBe("page");
    expect(shellRequestKind(req("/assets/main-abc.js"), origin)).toBe("file");
    expect(shellRequestKind(req("/icon-192.png"), origin)).toBe("file");
    expect(shellRequestKind(req("/api/account"), origin)).toBeNull();
    expect(shellRequestKind(req("/api/files/x/content"), origin)).toBeNull();
    expect(shellRequestKind(req("/media/tok/file"), origin)).toBeNull();
    expect(shellRequestKind(req("/assets/a.js", "cors", "POST"), origin)).toBeNull();
    expect(
      shellRequestKind({ url: "https://cdn.example/a.js", mode: "cors", method: "GET" }, origin),
    ).toBeNull();
  });

  it("refuses a manifest that names API routes, other origins or a bad version", () => {
    expect(isAppShellManifest({ version: "0123abcd", files: ["/", "/assets/a.js"] })).toBe(true);
    expect(isAppShellManifest({ version: "0123abcd", files: ["/api/account"] })).toBe(false);
    expect(isAppShellManifest({ version: "0123abcd", files: ["//evil.example/x.js"] })).toBe(false);
    expect(isAppShellManifest({ version: "../x", files: [] })).toBe(false);
    expect(isAppShellManifest(null)).toBe(false);
  });
});
