import { describe, expect, it } from "vitest";
import { followLocale } from "../i18n/current-locale.js";
import { mayPlay, playbackProblem, problemFromError, unsupportedProblem } from "./playback-problem.js";

describe("playbackProblem", () => {
  it("an integrity failure wins over the element's own error code", () => {
    const problem = playbackProblem({ kind: "integrity", code: "TAMPERED", message: "x" }, 4, "video/mp4");
    expect(problem).toMatchObject({ kind: "integrity", code: "TAMPERED" });
    expect(problem.message).toMatch(/failed its integrity check/);
  });
  it("a refusal names its status", () => {
    expect(playbackProblem({ kind: "status", status: 403 }, 2, "video/mp4")).toMatchObject({
      kind: "refused",
      code: "FORBIDDEN",
    });
    expect(playbackProblem({ kind: "status", status: 410 }, 2, "video/mp4").code).toBe("GONE");
    expect(playbackProblem({ kind: "status", status: 500 }, 2, "video/mp4")).toMatchObject({
      kind: "error",
      code: "HTTP_500",
    });
  });
  it("a network failure is not an integrity failure", () => {
    expect(playbackProblem({ kind: "network", message: "x" }, 2, "video/mp4")).toMatchObject({
      kind: "error",
      code: "NETWORK",
    });
  });
  it("decode and unsupported-source errors say the browser can't play it", () => {
    for (const code of [3, 4]) {
      const problem = playbackProblem(null, code, "video/x-matroska");
      expect(problem.kind).toBe("unsupported");
      expect(problem.message).toBe("This browser can't play this video (video/x-matroska).");
    }
    expect(playbackProblem(null, 2, "video/mp4").kind).toBe("error");
  });
});

describe("problemFromError", () => {
  const error = (code: string) => Object.assign(new Error(`boom ${code}`), { code });
  it("maps codes of a failed start", () => {
    expect(problemFromError(error("TAMPERED"), "video/mp4")).toMatchObject({
      kind: "integrity",
      code: "TAMPERED",
    });
    expect(problemFromError(error("FORBIDDEN"), "video/mp4")).toMatchObject({
      kind: "refused",
      code: "FORBIDDEN",
      message: "The owner of this link does not allow this video to be played here.",
    });
    expect(problemFromError(error("NETWORK"), "video/mp4")).toMatchObject({ kind: "error", code: "NETWORK" });
  });
});

describe("in French", () => {
  it("every message a person reads is French, the codes stay as they are", () => {
    followLocale({ current: "fr" });
    try {
      expect(
        playbackProblem({ kind: "integrity", code: "TAMPERED", message: "x" }, 4, "video/mp4"),
      ).toMatchObject({
        code: "TAMPERED",
        message: expect.stringMatching(/^Cette vidéo a échoué au contrôle d’intégrité/),
      });
      expect(playbackProblem(null, 4, "video/x-matroska").message).toBe(
        "Ce navigateur ne peut pas lire cette vidéo (video/x-matroska).",
      );
      expect(unsupportedProblem("").message).toBe(
        "Ce navigateur ne peut pas lire cette vidéo (format inconnu).",
      );
      expect(
        problemFromError(Object.assign(new Error("x"), { code: "FORBIDDEN" }), "video/mp4").message,
      ).toBe("Le propriétaire de ce lien ne permet pas de lire cette vidéo ici.");
      expect(playbackProblem({ kind: "status", status: 401 }, null, "video/mp4").message).toMatch(
        /reconnectez-vous/,
      );
      expect(playbackProblem({ kind: "status", status: 410 }, null, "video/mp4").message).toBe(
        "Cette vidéo n’est plus disponible.",
      );
      expect(playbackProblem({ kind: "status", status: 500 }, null, "video/mp4").message).toBe(
        "Le serveur n’a pas pu envoyer cette vidéo.",
      );
      expect(playbackProblem({ kind: "network", message: "x" }, 2, "video/mp4").message).toMatch(
        /injoignable/,
      );
      expect(playbackProblem(null, 2, "video/mp4")).toMatchObject({
        code: "MEDIA_ERR_NETWORK",
        message: "Impossible de charger la vidéo.",
      });
    } finally {
      followLocale({ current: "en" });
    }
  });
});

describe("mayPlay", () => {
  const chromium = (type: string) => (/mp4|webm/.test(type) ? "maybe" : "");
  it("follows canPlayType, trying QuickTime anyway", () => {
    expect(mayPlay("video/mp4", chromium)).toBe(true);
    expect(mayPlay("video/x-matroska", chromium)).toBe(false);
    expect(mayPlay("video/quicktime", chromium)).toBe(true);
    expect(mayPlay("image/jpeg", chromium)).toBe(false);
  });
});
