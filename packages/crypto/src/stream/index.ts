// Public API of the segmented streaming AEAD; re-exported by ../index.ts.
export {};
