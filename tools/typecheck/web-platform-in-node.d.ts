// Web platform names that Node 20 has at run time but @types/node 20 does not declare globally. The packages
// shared with browsers (crypto, client) name them; a Node-only package type-checks them without the DOM lib,
// so that its own code cannot reach for browser-only APIs (document, window, IndexedDB…).
type CryptoKey = import("node:crypto").webcrypto.CryptoKey;
type BufferSource = import("node:crypto").webcrypto.BufferSource;
type BodyInit = NonNullable<RequestInit["body"]>;
