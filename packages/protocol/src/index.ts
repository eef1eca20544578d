export * from "./albums.js";
export * from "./auth.js";
export * from "./errors.js";
export * from "./files.js";
export * from "./ids.js";
export * from "./kdf.js";
export * from "./sharing.js";
export * from "./sync.js";
