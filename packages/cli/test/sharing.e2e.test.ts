import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { useCliServer } from "./cli-server.js";
import { listFiles, runCli } from "./harness.js";

const cli = useCliServer("sharing");
const envOf = (who: string) =>
  cli.env(`${who} password 123`, { UMBRA_CONFIG_DIR: join(cli.work, `config-${who}`) });

async function ok(args: string[], who: string, input?: string) {
  const result = await runCli(args, { env: envOf(who), input });
  expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(0);
  return result;
}

describe("umbra CLI: share, fingerprint, links", { timeout: 240_000 }, () => {
  beforeAll(async () => {
    await mkdir(join(cli.work, "pics"));
    await sharp({ create: { width: 320, height: 240, channels: 3, background: "#2266aa" } })
      .jpeg()
      .toFile(join(cli.work, "pics", "lake.jpg"));
    for (const who of ["alice", "bob", "carol"]) await ok(["signup", "--email", `${who}@example.com`], who);
  }, 180_000);

  it("shares an album: Bob lists and downloads identical bytes, safety numbers match, Carol sees nothing", async () => {
    await ok(["albums", "--create", "Holiday"], "alice");
    await ok(["upload", join(cli.work, "pics"), "--album", "Holiday"], "alice");
    // Bob is a first contact: no terminal here, so --yes (after comparing the printed number).
    const share = await ok(["share", "Holiday", "--with", "bob@example.com", "--yes"], "alice");
    expect(share.stdout).toMatch(/Shared "Holiday" with bob@example.com as viewer/);
    expect(share.stderr).not.toMatch(/warning:/);

    const bobLs = JSON.parse((await ok(["ls", "--json"], "bob")).stdout);
    expect(bobLs).toMatchObject([
      { name: "lake.jpg", albums: ["Holiday"], shared: true, ownerEmail: "alice@example.com" },
    ]);
    for (const field of ["id", "name", "size", "mime", "takenAt", "albums"])
      expect(bobLs[0]).toHaveProperty(field);
    const out = join(cli.work, "bob-lake.jpg");
    await ok(["download", bobLs[0].id, "--out", out], "bob");
    expect((await readFile(out)).equals(await readFile(join(cli.work, "pics", "lake.jpg")))).toBe(true);

    const mine = JSON.parse((await ok(["fingerprint", "bob@example.com", "--json"], "alice")).stdout);
    const theirs = JSON.parse((await ok(["fingerprint", "alice@example.com", "--json"], "bob")).stdout);
    expect(mine.safetyNumber).toBe(theirs.safetyNumber);
    expect(share.stdout).toContain(mine.safetyNumber);
    expect((await ok(["fingerprint"], "alice")).stdout).toMatch(/Your key fingerprint/);

    expect(JSON.parse((await ok(["ls", "--json"], "carol")).stdout)).toEqual([]);
    const carolTries = await runCli(["download", bobLs[0].id, "--out", join(cli.work, "carol.jpg")], {
      env: envOf("carol"),
    });
    expect(carolTries.code).toBe(7);
  });

  it("unshare removes Bob; public links work without an account, and revoked ones answer gone", async () => {
    await ok(["unshare", "Holiday", "--with", "bob@example.com"], "alice");
    expect(JSON.parse((await ok(["ls", "--json"], "bob")).stdout)).toEqual([]);

    const created = JSON.parse(
      (await ok(["link", "create", "Holiday", "--expires", "7d", "--json"], "alice")).stdout,
    );
    // The secret, then (album links) a tag of the owner's signing key.
    expect(created.url).toMatch(/\/s#[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{22}$/);
    const dir = join(cli.work, "from-link");
    // No account: an empty config directory and no password.
    const download = await runCli(["link", "download", created.url, "--out", dir], {
      env: { UMBRA_CONFIG_DIR: join(cli.work, "nobody") },
    });
    expect(download.code, download.stderr).toBe(0);
    expect(await listFiles(dir)).toEqual(["lake.jpg"]);
    expect(
      (await readFile(join(dir, "lake.jpg"))).equals(await readFile(join(cli.work, "pics", "lake.jpg"))),
    ).toBe(true);

    const guarded = JSON.parse(
      (
        await ok(
          ["link", "create", "Holiday", "--password-stdin", "--no-download", "--json"],
          "alice",
          "link secret pw\n",
        )
      ).stdout,
    );
    const wrong = await runCli(
      ["link", "download", guarded.url, "--out", join(cli.work, "x"), "--password-stdin"],
      {
        env: {},
        input: "not it\n",
      },
    );
    expect(wrong.code).toBe(3);
    const noDownload = await runCli(
      ["link", "download", guarded.url, "--out", join(cli.work, "x"), "--password-stdin"],
      {
        env: {},
        input: "link secret pw\n",
      },
    );
    expect(noDownload.code).toBe(1);
    expect(noDownload.stderr).toMatch(/does not allow/);

    await ok(["link", "revoke", created.url], "alice");
    const gone = await runCli(["link", "download", created.url, "--out", join(cli.work, "y")], { env: {} });
    expect(gone.code).toBe(7);
    expect(gone.stderr).toMatch(/revoked or has expired/);
  });

  it("a first share with someone needs --yes without a terminal; a known contact needs none", async () => {
    await ok(["albums", "--create", "Garden"], "alice");
    await ok(["albums", "--create", "Kitchen"], "alice");
    const safetyNumber = /\b(\d{5}(?: \d{5}){11})\b/;

    const refused = await runCli(["share", "Garden", "--with", "carol@example.com"], { env: envOf("alice") });
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/umbra: error: not shared: carol@example.com is a new contact.*--yes/);
    // The number to compare is shown before the refusal.
    expect(refused.stdout).toMatch(/carol@example.com is new to this device/);
    expect(refused.stdout).toMatch(safetyNumber);
    expect(JSON.parse((await ok(["shared", "--json"], "carol")).stdout).albums).toEqual([]);
    // Nothing was pinned either: the next attempt is still a first contact.
    const shared = await ok(["share", "Garden", "--with", "carol@example.com", "--yes"], "alice");
    expect(shared.stdout).toMatch(/carol@example.com is new to this device/);
    expect(shared.stdout).toMatch(/Shared "Garden" with carol@example.com as viewer/);
    const printed = safetyNumber.exec(shared.stdout)?.[1];
    const theirs = JSON.parse((await ok(["fingerprint", "alice@example.com", "--json"], "carol")).stdout);
    expect(printed).toBe(theirs.safetyNumber);
    expect(JSON.parse((await ok(["shared", "--json"], "carol")).stdout).albums).toMatchObject([
      { name: "Garden", ownerEmail: "alice@example.com", role: "viewer" },
    ]);

    // Carol is pinned now: no question, no --yes.
    const again = await ok(["share", "Kitchen", "--with", "carol@example.com"], "alice");
    expect(again.stdout).not.toMatch(/new to this device/);
    expect(again.stdout).toMatch(/Shared "Kitchen" with carol@example.com as viewer/);
    expect(safetyNumber.exec(again.stdout)?.[1]).toBe(theirs.safetyNumber);
    expect(
      JSON.parse((await ok(["shared", "--json"], "carol")).stdout)
        .albums.map((a: { name: string }) => a.name)
        .sort(),
    ).toEqual(["Garden", "Kitchen"]);
  });
});
