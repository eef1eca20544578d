import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findUntranslatedText } from "./untranslated-markup.js";

// The screens whose every string comes from the catalogue; the rest of the app is converted screen by screen.
const CONVERTED = [
  "../../screens/LogIn.svelte",
  "../../screens/Unlock.svelte",
  "../../screens/Recover.svelte",
  "../../screens/RecoveryPhrase.svelte",
  "../../screens/Search.svelte",
  "../../screens/Timeline.svelte",
  "../../components/MemoryStrip.svelte",
  "../../components/MemoryCard.svelte",
  "../../components/Toasts.svelte",
  "../../components/HiddenAlbumsToggle.svelte",
  "../../components/LanguageSelect.svelte",
  "../../components/Viewer.svelte",
  "../../components/ViewerFrame.svelte",
  "../../components/WorldMap.svelte",
  "../../screens/Places.svelte",
  "../../screens/Albums.svelte",
  "../../screens/AlbumView.svelte",
  "../../screens/Settings.svelte",
  "../../screens/SignUp.svelte",
  "../../components/WarningsBanner.svelte",
  "../../components/Callout.svelte",
  "../../components/StrengthMeter.svelte",
  "../../screens/Archive.svelte",
  "../../screens/Favorites.svelte",
  "../../screens/Trash.svelte",
  "../../components/SelectionBar.svelte",
  "../../components/UploadPanel.svelte",
  "../../components/EmptyState.svelte",
  "../../components/PhotoGrid.svelte",
  "../../components/Tile.svelte",
  "../../components/GridZoom.svelte",
  "../../components/MediaBrowser.svelte",
  "../../components/VideoPlayer.svelte",
  "../../components/LivePlayer.svelte",
  "../../components/Recorder.svelte",
  "../../components/Shell.svelte",
  "../../screens/SharedWithMe.svelte",
  "../../screens/SharedAlbum.svelte",
  "../../screens/LinkPage.svelte",
  "../../components/ShareDialog.svelte",
  "../../components/ShareLinks.svelte",
  "../../components/ShareMembers.svelte",
  "../../components/ConfirmContact.svelte",
  "../../components/SafetyDigits.svelte",
  "../../components/SafetyNumber.svelte",
  "../../components/KeyChangedWarning.svelte",
  "../../components/FileGallery.svelte",
];

describe("strings ready for translation", () => {
  it("finds literal text and readable attributes, not expressions, script or style", () => {
    const found = findUntranslatedText(
      `<script>const a = "<b>x</b>";</script>\n<p>Hello there</p>\n<p>{t("x")}</p>\n` +
        `<button aria-label="Close">×</button>\n<input placeholder={t("y")} />\n<style>p{color:red}</style>`,
    );
    expect(found).toEqual([
      { line: 2, text: "Hello there" },
      { line: 4, text: 'aria-label="Close"' },
    ]);
  });

  it.each(CONVERTED)("%s shows no literal text", (file) => {
    const source = readFileSync(new URL(file, import.meta.url), "utf8");
    expect(findUntranslatedText(source)).toEqual([]);
  });
});
