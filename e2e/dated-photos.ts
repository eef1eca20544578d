import type { MediaHooks, UmbraClient } from "@umbra/client";
import { jpegSource, makeJpeg, sharpHooksWith } from "./sharing-helpers.js";

// Two days of one month (a landscape day and a portrait day) and a day of the month before.
export const SEED = [
  { name: "june2-a.jpg", w: 600, h: 800, at: "2024-06-02T15:00:00.000Z" },
  { name: "june2-b.jpg", w: 600, h: 800, at: "2024-06-02T14:00:00.000Z" },
  { name: "june1-a.jpg", w: 800, h: 600, at: "2024-06-01T15:00:00.000Z" },
  { name: "june1-b.jpg", w: 800, h: 600, at: "2024-06-01T14:00:00.000Z" },
  { name: "june1-c.jpg", w: 800, h: 600, at: "2024-06-01T13:00:00.000Z" },
  { name: "may10-a.jpg", w: 800, h: 600, at: "2024-05-10T12:00:00.000Z" },
  { name: "may10-b.jpg", w: 600, h: 800, at: "2024-05-10T11:00:00.000Z" },
];

// Each photo its own colour: identical bytes would be one file (uploads are deduplicated).
const COLOURS = ["#a93226", "#2e86c1", "#1e8449", "#b7950b", "#6c3483", "#ca6f1e", "#17202a"];

/** Thumbnails made with sharp, each photo dated as SEED says (the upload pipeline's extract step). */
export const datedHooks: MediaHooks = sharpHooksWith((name) => ({
  takenAt: SEED.find((s) => s.name === name)!.at,
}));

/** Uploads the seven dated photos into the account (and into the album, if given). */
export async function uploadDatedPhotos(client: UmbraClient, albumId?: string): Promise<void> {
  const sources = await Promise.all(
    SEED.map(async (s, i) => jpegSource(s.name, await makeJpeg(s.w, s.h, COLOURS[i]!))),
  );
  await client.upload(sources, datedHooks, albumId ? { albumId } : {});
}
