import type { sharingEn } from "./sharing.en.js";

export type SharingKey = keyof typeof sharingEn;
