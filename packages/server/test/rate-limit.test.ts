import { beforeAll, describe, expect, it } from "vitest";
import { api, backends, login, randomB64, serverPerFile, signupAndLogin } from "./harness.js";

describe.each(backends)("login rate limits ($name)", (backend) => {
  const running = serverPerFile(backend, {
    UMBRA_LOGIN_MAX_PER_ACCOUNT: "3",
    UMBRA_LOGIN_MAX_PER_IP: "8",
    UMBRA_LOGIN_WINDOW: "60",
  });
  let base: string;
  beforeAll(() => {
    base = running.server().url;
  });

  it("limits attempts per account, then per IP, with 429 and Retry-After", async () => {
    const user = await signupAndLogin(base); // 1 attempt (successful: resets the account counter)
    for (let i = 0; i < 3; i++) expect((await login(base, user.email, "wrong password")).status).toBe(401);
    const limited = await login(base, user.email, user.password);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: "RATE_LIMITED" } });
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Recovery attempts share the account limit.
    const recover = await api(base, "POST", "/api/auth/recover/start", {
      body: { email: user.email, recoveryAuthKey: randomB64(32), registrationRequest: randomB64(32) },
    });
    expect(recover.status).toBe(429);
    // Other accounts still work until the IP limit (8) is spent: 4 used so far.
    for (let i = 0; i < 4; i++) {
      expect((await login(base, `other-${i}@example.test`, "pw")).status).toBe(401);
    }
    const ipLimited = await login(base, "fresh@example.test", "pw");
    expect(ipLimited.status).toBe(429);
    expect(ipLimited.headers.get("retry-after")).toMatch(/^\d+$/);
    // The rest of the API is unaffected.
    expect((await api(base, "GET", "/api/health")).status).toBe(200);
  });
});
