import type { SharingKey } from "./sharing.keys.js";

// Messages of the sharing screens, in French.
export const sharingFr: Record<SharingKey, string> = {};
