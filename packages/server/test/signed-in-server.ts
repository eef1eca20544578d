// A server for one test file with one user signed in on it, both ready before the file's tests run.
import { beforeAll } from "vitest";
import { type Backend, serverPerFile, signupAndLogin, type TestUser } from "./harness.js";

export interface SignedInServer {
  /** The server's base URL. */
  base(): string;
  user(): TestUser;
}

export function signedInServerPerFile(backend: Backend, env: Record<string, string> = {}): SignedInServer {
  const running = serverPerFile(backend, env);
  let user: TestUser | undefined;
  beforeAll(async () => {
    user = await signupAndLogin(running.server().url);
  });
  return {
    base: () => running.server().url,
    user() {
      if (!user) throw new Error("the user is not signed in yet");
      return user;
    },
  };
}
