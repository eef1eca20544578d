import { rename } from "node:fs/promises";
import { UmbraCryptoError } from "@umbra/crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { UmbraClientError } from "../../src/errors.js";
import { refusal } from "../refusal.js";
import { type Account, drain, hooks, type MaliciousServer, photo, startMaliciousServer } from "./harness.js";

/**
 * The server moves encrypted records between rows (SQL) and blobs between files (disk): metadata, content,
 * thumbnails, wrapped file keys and wrapped album keys are each bound to where they belong (SPEC §4, §6.2, §7), so
 * the owner and a member of a shared album refuse every swap with a typed code instead of showing the wrong thing.
 */

const first = photo("first.jpg", 7);
const second = photo("second.jpg", 11);

let server: MaliciousServer;
let alice: Account;
let bob: Account;
let fileA: string;
let fileB: string;
let libraryId: string;
let albumId: string;
/** Undoes the current test's edits (SQL and files), newest first. */
let undo: (() => Promise<void> | void)[] = [];

type Key = Record<string, string>;
const whereOf = (key: Key) =>
  Object.keys(key)
    .map((column) => `${column} = ?`)
    .join(" and ");

/** Swaps one column's values between two rows (through a temporary value: some columns are unique). */
function swap(table: string, column: string, a: Key, b: Key): void {
  const read = (key: Key) => {
    const rows = server.sql<{ v: unknown }>(
      `select ${column} as v from ${table} where ${whereOf(key)}`,
      ...Object.values(key),
    );
    expect(rows).toHaveLength(1);
    return rows[0]!.v;
  };
  const write = (key: Key, value: unknown) =>
    server.sql(`update ${table} set ${column} = ? where ${whereOf(key)}`, value, ...Object.values(key));
  const va = read(a);
  const vb = read(b);
  expect(va).not.toEqual(vb);
  const exchange = (x: unknown, y: unknown) => {
    write(a, `swapping-${column}`);
    write(b, x);
    write(a, y);
  };
  exchange(va, vb);
  undo.push(() => exchange(vb, va));
}

/** Swaps the file keys two placements (album id, file id) wrap. */
function swapWrappedFileKeys([albumA, fileA]: [string, string], [albumB, fileB]: [string, string]): void {
  swap(
    "album_files",
    "wrapped_file_key",
    { album_id: albumA, file_id: fileA },
    { album_id: albumB, file_id: fileB },
  );
}

/** Swaps two blob files on disk. */
async function swapFiles(x: string, y: string): Promise<void> {
  const exchange = async () => {
    await rename(x, `${x}.swapping`);
    await rename(y, x);
    await rename(`${x}.swapping`, y);
  };
  await exchange();
  undo.push(exchange);
}

/** After SQL edits of rows: the owner's next sync must send them again. */
async function resync(...ids: string[]): Promise<void> {
  server.touch(...ids);
  await alice.client.library.sync();
}

function expectCode(error: unknown, code: string, type: "crypto" | "client" = "crypto"): void {
  expect(error).toBeInstanceOf(type === "crypto" ? UmbraCryptoError : UmbraClientError);
  expect(error).toMatchObject({ code });
}

async function downloadError(download: () => Promise<{ stream: ReadableStream<Uint8Array> }>) {
  try {
    const { stream } = await download();
    const { bytes, error } = await drain(stream);
    // Nothing of the other file, nothing unauthenticated: at most nothing at all came out.
    expect(bytes.length).toBe(0);
    return error;
  } catch (error) {
    return error;
  }
}

/**
 * What a whole listing shows while records are swapped: nothing, whether it refuses as a whole (TAMPERED) or leaves
 * the records that fail authentication out.
 */
async function listedOrRefused(list: () => Promise<{ id: string }[]>): Promise<string[]> {
  try {
    return (await list())
      .map((entry) => entry.id)
      .filter((id) => [fileA, fileB, libraryId, albumId].includes(id));
  } catch (error) {
    expectCode(error, "TAMPERED");
    return [];
  }
}

/** Bob's view of the shared album refuses both files (reported in `rejected`, and TAMPERED on access). */
async function bobRefuses(...ids: string[]): Promise<void> {
  const { files, rejected } = await bob.client.sharedFiles.list(albumId);
  for (const id of ids) {
    expect(files.map((f) => f.id)).not.toContain(id);
    expect(rejected.map((r) => r.id)).toContain(id);
    expectCode(await downloadError(() => bob.client.sharedFiles.download(albumId, id)), "TAMPERED", "client");
  }
}

describe("malicious server: swapped records and blobs are refused", { timeout: 90_000 }, () => {
  beforeAll(async () => {
    server = await startMaliciousServer();
    alice = await server.account("alice-swaps@example.com");
    bob = await server.account("bob-swaps@example.com");
    const summary = await alice.client.upload([first.source, second.source], hooks);
    fileA = summary.uploaded.find((u) => u.source === first.source)!.fileId;
    fileB = summary.uploaded.find((u) => u.source === second.source)!.fileId;
    libraryId = await alice.client.library.libraryAlbumId();
    albumId = (await alice.client.library.createAlbum("Shared")).id;
    await alice.client.library.addToAlbum(fileA, albumId);
    await alice.client.library.addToAlbum(fileB, albumId);
    await alice.client.sharing.share(albumId, bob.email, "viewer");
  }, 120_000);

  afterEach(async () => {
    for (const step of undo.reverse()) await step();
    undo = [];
    server.touch(fileA, fileB, libraryId, albumId);
    // Everything reads back as it was: the refusals came from the swaps.
    await alice.client.library.sync();
    const { stream } = await alice.client.download(fileA);
    expect((await drain(stream)).bytes.equals(Buffer.from(first.bytes))).toBe(true);
    expect(await alice.client.thumbnail(fileB, "preview")).toEqual(new Uint8Array([3, 4]));
    expect((await alice.client.library.albums()).map((a) => a.name)).toEqual(["Library", "Shared"]);
    const { files, rejected } = await bob.client.sharedFiles.list(albumId);
    expect(rejected).toEqual([]);
    expect(files.map((f) => f.metadata.name).sort()).toEqual(["first.jpg", "second.jpg"]);
  });

  afterAll(() => server?.stop(), 60_000);

  it("the untouched records read back for the owner and the member (the control)", async () => {
    expect((await alice.client.library.file(fileB)).metadata.name).toBe("second.jpg");
    const { stream } = await bob.client.sharedFiles.download(albumId, fileB);
    expect((await drain(stream)).bytes.equals(Buffer.from(second.bytes))).toBe(true);
  });

  it("encrypted metadata of two files swapped → TAMPERED", async () => {
    swap("files", "encrypted_metadata", { id: fileA }, { id: fileB });
    await resync(fileA, fileB);
    expectCode(await refusal(alice.client.library.file(fileA)), "TAMPERED");
    // A listing either refuses as a whole or leaves both out; it never shows one file under the other's name.
    expect(await listedOrRefused(() => alice.client.library.files())).toEqual([]);
    expectCode(await downloadError(() => alice.client.download(fileB)), "TAMPERED");
    await bobRefuses(fileA, fileB);
  });

  it("content blobs of two files swapped (blob_key) → TAMPERED content and thumbnails", async () => {
    swap("files", "blob_key", { id: fileA }, { id: fileB });
    expectCode(await downloadError(() => alice.client.download(fileA)), "TAMPERED");
    expectCode(await refusal(alice.client.thumbnail(fileA, "grid")), "TAMPERED");
    expectCode(await downloadError(() => bob.client.sharedFiles.download(albumId, fileB)), "TAMPERED");
    expectCode(await refusal(bob.client.sharedFiles.thumbnail(albumId, fileB, "preview")), "TAMPERED");
  });

  it("thumbnails swapped between files, and between the variants of one file → TAMPERED", async () => {
    await swapFiles(await server.blobPath(fileA, "grid"), await server.blobPath(fileB, "grid"));
    expectCode(await refusal(alice.client.thumbnail(fileA, "grid")), "TAMPERED");
    expectCode(await refusal(alice.client.thumbnail(fileB, "grid")), "TAMPERED");
    expectCode(await refusal(bob.client.sharedFiles.thumbnail(albumId, fileA, "grid")), "TAMPERED");
    await swapFiles(await server.blobPath(fileA, "grid"), await server.blobPath(fileA, "preview"));
    expectCode(await refusal(alice.client.thumbnail(fileA, "preview")), "TAMPERED");
    expectCode(await refusal(bob.client.sharedFiles.thumbnail(albumId, fileA, "preview")), "TAMPERED");
  });

  it("wrapped file keys swapped between two files of one album → TAMPERED", async () => {
    swapWrappedFileKeys([libraryId, fileA], [libraryId, fileB]);
    await resync(fileA, fileB);
    expectCode(await downloadError(() => alice.client.download(fileA)), "TAMPERED");
    expectCode(await refusal(alice.client.thumbnail(fileB, "grid")), "TAMPERED");
    swapWrappedFileKeys([albumId, fileA], [albumId, fileB]);
    await bobRefuses(fileA, fileB);
  });

  it("a file's wrapped keys swapped between its two albums, or taken from another file's album → TAMPERED", async () => {
    swapWrappedFileKeys([libraryId, fileA], [albumId, fileA]);
    await resync(fileA);
    expectCode(await downloadError(() => alice.client.download(fileA)), "TAMPERED");
    await bobRefuses(fileA);
    swapWrappedFileKeys([libraryId, fileB], [albumId, fileA]);
    await resync(fileA, fileB);
    expectCode(await downloadError(() => alice.client.download(fileB)), "TAMPERED");
  });

  it("wrapped album keys, or encrypted album names, swapped between two albums → TAMPERED", async () => {
    swap("albums", "wrapped_album_key", { id: libraryId }, { id: albumId });
    await resync(libraryId, albumId);
    expectCode(await refusal(alice.client.library.albumKey(libraryId)), "TAMPERED");
    expectCode(await refusal(alice.client.library.albumKey(albumId)), "TAMPERED");
    expect(await listedOrRefused(() => alice.client.library.albums())).toEqual([]);
    expectCode(await downloadError(() => alice.client.download(fileA)), "TAMPERED");
    for (const step of undo.reverse()) await step();
    undo = [];
    swap("albums", "encrypted_name", { id: libraryId }, { id: albumId });
    await resync(libraryId, albumId);
    expect(await listedOrRefused(() => alice.client.library.albums())).toEqual([]);
  });
});
