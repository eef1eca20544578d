import { appApi } from "../api/app-api.js";
import { t } from "../i18n/index.js";
import { saveBlob } from "../media/save-blob.js";
import type { LibraryItem } from "../state/media-types.js";
import { describeError, toasts } from "../state/toasts.svelte.js";
import { vault } from "../state/vault.svelte.js";
import { saveZip } from "./zip-download.js";

// What the selection bar does to many files at once. Each action runs file by file, so a failure part-way
// leaves the files already done in their new state and says how many were not.

async function eachOf(ids: readonly string[], run: (id: string) => Promise<void>): Promise<number> {
  let failed = 0;
  for (const id of ids) {
    try {
      await run(id);
    } catch (e) {
      failed++;
      if (failed === 1) toasts.show(describeError(e), { kind: "error" });
    }
  }
  return failed;
}

export async function addToAlbum(ids: readonly string[], albumId: string, albumName: string): Promise<void> {
  const todo = ids.filter((id) => !vault.byId(id)?.albumIds.includes(albumId));
  if (todo.length === 0) {
    toasts.show(t("bulk.alreadyInAlbum", { album: albumName }));
    return;
  }
  const failed = await eachOf(todo, (id) => vault.addToAlbum(albumId, id));
  const already = ids.length - todo.length;
  const count = todo.length - failed;
  toasts.show(
    already
      ? t("bulk.addedToAlbumSomeThere", { count, album: albumName, already })
      : t("bulk.addedToAlbum", { count, album: albumName }),
  );
}

export async function removeFromAlbum(ids: readonly string[], albumId: string, albumName: string) {
  const failed = await eachOf(ids, (id) => vault.removeFromAlbum(albumId, id));
  toasts.show(t("bulk.removedFromAlbum", { count: ids.length - failed, album: albumName }), {
    action: { label: t("viewer.undo"), run: () => void eachOf(ids, (id) => vault.addToAlbum(albumId, id)) },
  });
}

/** Favorites all, unless all already are: then it unfavorites them (as the heart does for one). */
export async function toggleFavorite(ids: readonly string[]): Promise<void> {
  const all = ids.every((id) => vault.byId(id)?.favorite);
  const failed = await eachOf(ids, (id) => vault.setFavorite(id, !all));
  toasts.show(t(all ? "bulk.unfavorited" : "bulk.favorited", { count: ids.length - failed }));
}

export async function setArchived(ids: readonly string[], archived: boolean): Promise<void> {
  const failed = await eachOf(ids, (id) => vault.setArchived([id], archived));
  const count = ids.length - failed;
  toasts.show(t(archived ? "bulk.archived" : "bulk.unarchived", { count }), {
    action: {
      label: t("viewer.undo"),
      run: () => void eachOf(ids, (id) => vault.setArchived([id], !archived)),
    },
  });
}

export async function moveToTrash(ids: readonly string[]): Promise<void> {
  const failed = await eachOf(ids, (id) => vault.trash(id));
  toasts.show(t("bulk.trashed", { count: ids.length - failed }), {
    action: {
      label: t("viewer.undo"),
      run: async () => {
        const notBack = await eachOf(ids, (id) => vault.restoreFile(id));
        if (notBack === 0) toasts.show(t("bulk.restored", { count: ids.length }));
      },
    },
  });
}

/** One file downloads as itself; several as a zip made here (the server only ever sends ciphertext). */
export async function download(items: readonly LibraryItem[], onProgress?: (done: number) => void) {
  if (items.length === 1) {
    const only = items[0]!;
    saveBlob(await appApi.download(only.id), only.meta.name);
    return;
  }
  await saveZip(items, (item) => appApi.download(item.id), `umbra-${items.length}-items.zip`, onProgress);
}
