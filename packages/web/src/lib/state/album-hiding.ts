import { t } from "../i18n/index.js";
import { toasts } from "./toasts.svelte.js";
import { vault } from "./vault.svelte.js";

/** Hides an album (own or shared with us) or shows it again; hiding says `hiddenMessage` and offers Undo. */
export async function setAlbumHiddenWithUndo(albumId: string, hidden: boolean, hiddenMessage: string) {
  try {
    await vault.setAlbumHidden(albumId, hidden);
    if (hidden)
      toasts.show(hiddenMessage, {
        action: { label: t("album.undo"), run: () => vault.setAlbumHidden(albumId, false) },
      });
  } catch (e) {
    toasts.error(e);
  }
}
