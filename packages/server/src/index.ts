export { createServer, type UmbraServer } from "./app.js";
export { type Config, helpText, loadConfig } from "./config.js";
export type { BlobInfo, BlobStore, ByteRange } from "./storage/blob-store.js";
export { FsBlobStore } from "./storage/fs-blob-store.js";
export { sweep } from "./sweeper.js";
