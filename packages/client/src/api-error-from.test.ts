import { TruncatedError } from "@umbra/crypto";
import { describe, expect, it } from "vitest";
import { ApiError, errorCode, UmbraClientError } from "./errors.js";
import { apiErrorFrom } from "./http.js";

const body = (code: string, message: string) => JSON.stringify({ error: { code, message } });

describe("apiErrorFrom, the one reader of error answers", () => {
  it("takes the server's code and message from a fetch Response", async () => {
    const error = await apiErrorFrom(new Response(body("CHECKPOINT_CONFLICT", "changed"), { status: 409 }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe("CHECKPOINT_CONFLICT");
    expect(error.message).toBe("changed");
    expect((error as ApiError).status).toBe(409);
  });

  it("reads the same answer handed over as status and body text (tus uploads)", () => {
    const error = apiErrorFrom({ status: 507, body: body("QUOTA_EXCEEDED", "full") });
    expect(error.code).toBe("QUOTA_EXCEEDED");
    expect(error.message).toBe("full");
  });

  it("derives the code from the status when the body is not JSON or names no known code", async () => {
    const notJson = await apiErrorFrom(new Response("<html>bad gateway</html>", { status: 502 }));
    expect([notJson.code, notJson.message]).toEqual(["SERVER_ERROR", "HTTP 502"]);
    const unknown = apiErrorFrom({ status: 404, body: body("NO_SUCH_CODE", "gone missing") });
    expect([unknown.code, unknown.message]).toEqual(["NOT_FOUND", "gone missing"]);
  });

  it("makes a blob the server found incomplete a TruncatedError, with the answer as its cause", async () => {
    const error = await apiErrorFrom(new Response(body("BLOB_INCOMPLETE", "cut short"), { status: 500 }));
    expect(error).toBeInstanceOf(TruncatedError);
    expect(error.code).toBe("TRUNCATED");
    expect((error as TruncatedError).cause).toBeInstanceOf(ApiError);
  });

  it("types every code, so a misspelt one fails to compile (checked by tsc through the directives below)", () => {
    const error = apiErrorFrom({ status: 409, body: body("CHECKPOINT_CONFLICT", "changed") });
    // @ts-expect-error: no code of that spelling exists
    expect(errorCode(error) === "CHECKPOINT_CONFLICTT").toBe(false);
    // @ts-expect-error: the SDK's errors take only typed codes
    expect(new UmbraClientError("NO_SUCH_CODE", "x").code).toBe("NO_SUCH_CODE");
  });
});
