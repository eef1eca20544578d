import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { useCliServer } from "./cli-server.js";
import { runCli } from "./harness.js";

let env: Record<string, string>;
let phrase: string;
let fileId: string;

const withPassword = (password: string) => ({ ...env, UMBRA_PASSWORD: password });

describe("umbra CLI: albums, trash, password, recovery, sessions", { timeout: 240_000 }, () => {
  const cli = useCliServer("account");
  beforeAll(async () => {
    env = { UMBRA_SERVER: cli.server.url, UMBRA_CONFIG_DIR: join(cli.work, "config") };
    await mkdir(join(cli.work, "pics"));
    await sharp({ create: { width: 300, height: 200, channels: 3, background: "#884422" } })
      .jpeg()
      .toFile(join(cli.work, "pics", "cat.jpg"));
  }, 180_000);

  it("creates an album, uploads into it, moves, trashes and restores", async () => {
    const signup = await runCli(["signup", "--email", "bob@example.com"], {
      env: withPassword("first password"),
    });
    expect(signup.code, signup.stderr).toBe(0);
    expect(signup.stdout).toMatch(/WARNING: write it down/);
    phrase = /\n {2}([a-z ]+)\n/.exec(signup.stdout)![1]!;
    expect(phrase.split(" ")).toHaveLength(24);
    const e = withPassword("first password");
    expect((await runCli(["albums", "--create", "Pets"], { env: e })).code).toBe(0);
    const up = await runCli(["upload", join(cli.work, "pics"), "--album", "Pets"], { env: e });
    expect(up.code, up.stderr).toBe(0);
    const pets = JSON.parse((await runCli(["ls", "--album", "Pets", "--json"], { env: e })).stdout);
    expect(pets.map((f: { name: string }) => f.name)).toEqual(["cat.jpg"]);
    fileId = pets[0].id;
    expect((await runCli(["albums", "--create", "Best"], { env: e })).code).toBe(0);
    const mv = await runCli(["mv", fileId, "--to", "Best"], { env: e });
    expect(mv.code, mv.stderr).toBe(0);
    const albums = JSON.parse((await runCli(["albums", "--json"], { env: e })).stdout);
    expect(albums.map((a: { name: string; files: number }) => [a.name, a.files])).toEqual([
      ["Library", 0],
      ["Best", 1],
      ["Pets", 0],
    ]);
    expect((await runCli(["rename", fileId, "kitty.jpg"], { env: e })).code).toBe(0);
    expect((await runCli(["rm", fileId], { env: e })).code).toBe(0);
    expect(JSON.parse((await runCli(["ls", "--json"], { env: e })).stdout)).toEqual([]);
    const trash = await runCli(["trash"], { env: e });
    expect(trash.stdout).toContain("kitty.jpg");
    expect((await runCli(["trash", "--restore", fileId], { env: e })).code).toBe(0);
    const back = JSON.parse((await runCli(["ls", "--json"], { env: e })).stdout);
    expect(back.map((f: { name: string; albums: string[] }) => [f.name, f.albums])).toEqual([
      ["kitty.jpg", ["Best"]],
    ]);
  });

  it("changes the password; the old one is refused", async () => {
    const passwd = await runCli(["passwd", "--password-stdin"], {
      env,
      input: "first password\nsecond password\n",
    });
    expect(passwd.code, passwd.stderr).toBe(0);
    expect((await runCli(["ls"], { env: withPassword("first password") })).code).toBe(3);
    expect((await runCli(["ls"], { env: withPassword("second password") })).code).toBe(0);
  });

  it("lists and revokes sessions", async () => {
    const other = { ...env, UMBRA_CONFIG_DIR: join(cli.work, "config-2") };
    const login = await runCli(["login", "--email", "bob@example.com", "--password-stdin"], {
      env: other,
      input: "second password\n",
    });
    expect(login.code, login.stderr).toBe(0);
    const sessions = JSON.parse((await runCli(["sessions", "--json"], { env })).stdout);
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect((await runCli(["sessions", "--revoke-others"], { env })).stdout).toMatch(/Revoked 1 other/);
    const revoked = await runCli(["sessions"], { env: other });
    expect(revoked.code).toBe(3);
  });

  it("recovers with the phrase (new password on the second stdin line), then logs out", async () => {
    const bad = await runCli(["recover", "--email", "bob@example.com", "--recovery-phrase-stdin"], {
      env,
      input: "abandon abandon abandon\nthird password\n",
    });
    expect(bad.code).toBe(3);
    const recover = await runCli(["recover", "--email", "bob@example.com", "--recovery-phrase-stdin"], {
      env,
      input: `${phrase}\nthird password\n`,
    });
    expect(recover.code, recover.stderr).toBe(0);
    const ls = await runCli(["ls", "--json"], { env: withPassword("third password") });
    expect(JSON.parse(ls.stdout)[0].id).toBe(fileId);
    expect((await runCli(["logout"], { env })).code).toBe(0);
    const config = JSON.parse(await readFile(join(cli.work, "config", "config.json"), "utf8"));
    expect(config.token).toBeUndefined();
    expect((await runCli(["ls"], { env: withPassword("third password") })).code).toBe(3);
  });
});
