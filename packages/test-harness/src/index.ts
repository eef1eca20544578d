// Test and bench scaffolding shared by every package: the real server on a free port, temp folders, test
// databases. Chromium lives at "@umbra/test-harness/chromium" so that Node-only tests do not load playwright.
export { type Backend, backends, createDatabase, type TestDatabase, testPostgresUrl } from "./database.js";
export { repoRoot, serverMainTs } from "./repo.js";
export { serverBundle } from "./server-bundle.js";
export { type RunningServer, type ServerOptions, startServer } from "./server-process.js";
export { removeTempDirs, tempDir } from "./temp-dirs.js";
export { buildWeb, webDist } from "./web-build.js";
