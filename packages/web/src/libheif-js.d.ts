// The bundled (wasm inlined) ESM build ships no declarations of its own; only the factory is used.
declare module "libheif-js/libheif-wasm/libheif-bundle.mjs" {
  const createLibheif: () => unknown;
  export default createLibheif;
}
