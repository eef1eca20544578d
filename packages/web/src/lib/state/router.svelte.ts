/** A hash router: the app is served as one static index.html, so routes live after the `#`. */
class Router {
  path = $state(readPath());

  constructor() {
    if (typeof window !== "undefined") {
      window.addEventListener("hashchange", () => {
        this.path = readPath();
      });
    }
  }

  go(path: string): void {
    if (readPath() !== path) window.location.hash = path;
    this.path = path;
  }

  /** The segments after the first, e.g. ["a_xyz"] for "/albums/a_xyz". */
  get params(): string[] {
    return this.path.split("/").filter(Boolean).slice(1);
  }

  get section(): string {
    return this.path.split("/").filter(Boolean)[0] ?? "";
  }
}

function readPath(): string {
  if (typeof window === "undefined") return "/";
  const hash = window.location.hash.replace(/^#/, "");
  return hash.startsWith("/") ? hash : "/";
}

export const router = new Router();
