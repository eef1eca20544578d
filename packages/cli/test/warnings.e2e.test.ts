import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useCliServer } from "./cli-server.js";
import { listFiles, runCli } from "./harness.js";

/** Exit codes (README.md, "The `umbra` CLI"). */
const EXIT_USAGE = 2;

const cli = useCliServer("warnings");
let database: Database.Database;
const envOf = (who: string) =>
  cli.env(`${who} password 123`, { UMBRA_CONFIG_DIR: join(cli.work, `config-${who}`) });

async function ok(args: string[], who: string) {
  const result = await runCli(args, { env: envOf(who) });
  expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(0);
  return result;
}

const warningLines = (stderr: string) => stderr.split("\n").filter((line) => line.includes("warning:"));
const userIdOf = (email: string) =>
  (database.prepare("select id from users where email = ?").get(email) as { id: string }).id;

/** Signs `who` up and uploads two small photos into album `album`. */
async function accountWithPhotos(who: string, album: string): Promise<void> {
  await ok(["signup", "--email", `${who}@example.com`], who);
  const dir = join(cli.work, `pics-${who}`);
  await mkdir(dir);
  for (const [name, color] of [
    ["dune.jpg", "#c2a060"],
    ["sea.jpg", "#2266aa"],
  ] as const) {
    await sharp({ create: { width: 64, height: 48, channels: 3, background: color } })
      .jpeg()
      .toFile(join(dir, name));
  }
  await ok(["albums", "--create", album], who);
  await ok(["upload", dir, "--album", album], who);
}

describe("umbra CLI: what the client refuses is reported as warnings", { timeout: 240_000 }, () => {
  beforeAll(async () => {
    database = new Database(join(cli.server.dataDir, "umbra.sqlite"));
    database.pragma("busy_timeout = 5000");
  }, 180_000);
  afterAll(async () => {
    database?.close();
  }, 60_000);

  it("a file record that fails authentication is skipped with one warning line; the rest is listed", async () => {
    await accountWithPhotos("dana", "Dunes");
    const userId = userIdOf("dana@example.com");
    const before = await ok(["ls"], "dana");
    expect(warningLines(before.stderr)).toEqual([]);

    // The server slips a record of its own into the library: garbage metadata under a real-looking key.
    const good = database
      .prepare(
        "select af.album_id, af.wrapped_file_key from album_files af join albums a on a.id = af.album_id " +
          "where a.user_id = ? limit 1",
      )
      .get(userId) as { album_id: string; wrapped_file_key: string };
    const bogusId = `f_${randomBytes(16).toString("base64url").slice(0, 22)}`;
    const now = new Date().toISOString();
    database.transaction(() => {
      database.prepare("update users set seq = seq + 1 where id = ?").run(userId);
      const { seq } = database.prepare("select seq from users where id = ?").get(userId) as { seq: number };
      database
        .prepare(
          "insert into files (id, user_id, blob_key, encrypted_metadata, content_size, grid_size, preview_size, " +
            "created_at, updated_at, trashed_at, seq) values (?, ?, ?, ?, 1000, 10, 10, ?, ?, null, ?)",
        )
        .run(bogusId, userId, `bogus-${bogusId}`, randomBytes(120).toString("base64url"), now, now, seq);
      database
        .prepare(
          "insert into album_files (album_id, file_id, user_id, wrapped_file_key, added_seq) values (?, ?, ?, ?, ?)",
        )
        .run(good.album_id, bogusId, userId, good.wrapped_file_key, seq);
    })();

    const listed = await runCli(["ls"], { env: envOf("dana") });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/dune\.jpg/);
    expect(listed.stdout).toMatch(/sea\.jpg/);
    expect(listed.stdout).not.toContain(bogusId);
    const rejected = warningLines(listed.stderr).filter((line) => line.includes("failed verification"));
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatch(/^umbra: warning: /);
    expect(rejected[0]).toContain(bogusId);
    // Anything else warned about is this same record (e.g. the library checkpoint never recorded it).
    for (const line of warningLines(listed.stderr)) expect(line).toContain(bogusId);
    expect(listed.stderr).not.toMatch(/umbra: error:/);

    const json = await runCli(["ls", "--json"], { env: envOf("dana") });
    expect(json.code, json.stderr).toBe(0);
    expect(
      JSON.parse(json.stdout)
        .map((f: { name: string }) => f.name)
        .sort(),
    ).toEqual(["dune.jpg", "sea.jpg"]);
  });

  it("umbra verify names the server's difference and fails; --accept with consent makes the listing the record", async () => {
    // The bogus record the server slipped into dana's library in the test above.
    const userId = userIdOf("dana@example.com");
    const bogusId = (
      database.prepare("select id from files where user_id = ? and blob_key like 'bogus-%'").get(userId) as {
        id: string;
      }
    ).id;
    const verify = await runCli(["verify"], { env: envOf("dana") });
    expect(verify.code, verify.stderr).toBe(6);
    expect(verify.stdout).toContain(`${bogusId}  listed by the server, never recorded by your devices`);
    expect((await runCli(["verify", "--accept"], { env: envOf("dana") })).code).toBe(EXIT_USAGE);
    await ok(["verify", "--accept", "--yes"], "dana");
    expect((await ok(["verify"], "dana")).stdout).toContain(
      "Your library matches what your devices recorded.",
    );
  });

  it("an album link without a roster downloads with a warning that its placements are unverified", async () => {
    await accountWithPhotos("lars", "Lakes");
    const made = JSON.parse((await ok(["link", "create", "Lakes", "--json"], "lars")).stdout);
    const withRoster = await runCli(["link", "download", made.url, "--out", join(cli.work, "link-a")], {
      env: {},
    });
    expect(withRoster.code, withRoster.stderr).toBe(0);
    expect(warningLines(withRoster.stderr)).toEqual([]);

    // As a link made before rosters existed (no roster, no owner tag in the URL): nothing vouches for who
    // placed each file.
    database.prepare("update links set roster = null where id = ?").run(made.id);
    const legacyUrl = made.url.replace(/(#[A-Za-z0-9_-]{43})\.[A-Za-z0-9_-]{22}$/, "$1");
    expect(legacyUrl).not.toBe(made.url);
    const without = await runCli(["link", "download", legacyUrl, "--out", join(cli.work, "link-b")], {
      env: {},
    });
    expect(without.code, without.stderr).toBe(0);
    expect(await listFiles(join(cli.work, "link-b"))).toEqual(["dune.jpg", "sea.jpg"]);
    const lines = warningLines(without.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^umbra: warning: this album link .*cannot be checked/);
  });

  it("sharing keys the server stopped presenting: warned at unlock, replaced only with --replace and consent", async () => {
    await ok(["signup", "--email", "ida@example.com"], "ida");
    const userId = userIdOf("ida@example.com");
    const keysOnServer = () =>
      JSON.parse(
        (database.prepare("select key_bundle from users where id = ?").get(userId) as { key_bundle: string })
          .key_bundle,
      ).publicKeys as unknown;
    // The device saw (pinned) its own keys at sign-up; now the server drops them.
    expect(keysOnServer()).toBeTruthy();
    database
      .prepare(
        "update users set key_bundle = json_set(key_bundle, '$.publicKeys', json('null'), " +
          "'$.wrappedPrivateKeys', json('null')) where id = ?",
      )
      .run(userId);

    // Any unlocking command says so, and still works (the check runs beside it: printed before the exit).
    const listed = await runCli(["ls"], { env: envOf("ida") });
    expect(listed.code, listed.stderr).toBe(0);
    const lines = warningLines(listed.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^umbra: warning: The server no longer presents this account's sharing keys/);

    const plain = await runCli(["identity", "create"], { env: envOf("ida") });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/umbra: error: your sharing keys are missing on the server.*--replace/);
    expect(keysOnServer()).toBeNull();

    const unconfirmed = await runCli(["identity", "create", "--replace"], { env: envOf("ida") });
    expect(unconfirmed.code).toBe(EXIT_USAGE);
    expect(unconfirmed.stderr).toMatch(/WARNING: this creates NEW sharing keys/);
    expect(unconfirmed.stderr).toMatch(/STOP OPENING/);
    expect(unconfirmed.stderr).toMatch(/umbra: error: sharing keys not replaced.*--replace --yes/);
    expect(keysOnServer()).toBeNull();

    const replaced = await ok(["identity", "create", "--replace", "--yes"], "ida");
    expect(replaced.stdout).toMatch(/Created and published new sharing keys/);
    expect(keysOnServer()).toBeTruthy();
    const after = await ok(["ls"], "ida");
    expect(warningLines(after.stderr)).toEqual([]);
    expect((await ok(["identity", "create"], "ida")).stdout).toMatch(/already has sharing keys/);
  });
});
