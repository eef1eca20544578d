import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { useCliServer } from "./cli-server.js";
import { runCli } from "./harness.js";

let env: Record<string, string>;

async function photo(path: string, background: string): Promise<void> {
  await sharp({ create: { width: 120, height: 80, channels: 3, background } })
    .jpeg()
    .toFile(path);
}

async function albumsJson(): Promise<{ name: string; files: number }[]> {
  const albums = await runCli(["albums", "--json"], { env });
  expect(albums.code, albums.stderr).toBe(0);
  return JSON.parse(albums.stdout);
}

describe("umbra upload --album", { timeout: 240_000 }, () => {
  const cli = useCliServer("upload-album");
  beforeAll(async () => {
    env = cli.env("album password");
    await mkdir(join(cli.work, "first"));
    await mkdir(join(cli.work, "second"));
    await photo(join(cli.work, "first", "beach.jpg"), "#2266aa");
    await photo(join(cli.work, "second", "dunes.jpg"), "#aa8833");
    const signup = await runCli(["signup", "--email", "trips@example.com"], { env });
    expect(signup.code, signup.stderr).toBe(0);
  }, 180_000);

  it("creates the album when none has that name, and says so", async () => {
    const up = await runCli(["upload", join(cli.work, "first"), "--album", "Trips"], { env });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('created album "Trips"');
    const trips = JSON.parse((await runCli(["ls", "--album", "Trips", "--json"], { env })).stdout);
    expect(trips.map((f: { name: string }) => f.name)).toEqual(["beach.jpg"]);
  });

  it("uploads into the existing album (any case of its name) without creating another", async () => {
    const up = await runCli(["upload", join(cli.work, "second"), "--album", "trips"], { env });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).not.toContain("created album");
    expect((await albumsJson()).map((a) => [a.name, a.files])).toEqual([
      ["Library", 0],
      ["Trips", 2],
    ]);
  });
});
