import { describe, expect, it } from "vitest";
import { EMPTY_SELECTION, extendTo, keepShown, selectAll, toggle, toggleGroup } from "./selection-range.js";

const order = ["a", "b", "c", "d", "e", "f"];
const ids = (s: { ids: ReadonlySet<string> }) => [...s.ids].sort();

describe("selection", () => {
  it("toggles one item and moves the anchor", () => {
    const s = toggle(EMPTY_SELECTION, "b");
    expect(ids(s)).toEqual(["b"]);
    expect(s.anchor).toBe("b");
    expect(ids(toggle(s, "b"))).toEqual([]);
  });

  it("Shift-click adds the range from the anchor, in either direction, keeping what was selected", () => {
    let s = toggle(EMPTY_SELECTION, "f");
    s = toggle(s, "b");
    expect(ids(extendTo(s, "d", order))).toEqual(["b", "c", "d", "f"]);
    const back = toggle(EMPTY_SELECTION, "e");
    expect(ids(extendTo(back, "c", order))).toEqual(["c", "d", "e"]);
    expect(ids(extendTo(EMPTY_SELECTION, "c", order))).toEqual(["c"]);
    expect(extendTo(s, "zz", order)).toBe(s);
  });

  it("a group's check selects it whole, then clears it", () => {
    const s = toggleGroup(toggle(EMPTY_SELECTION, "a"), ["c", "d"]);
    expect(ids(s)).toEqual(["a", "c", "d"]);
    expect(ids(toggleGroup(s, ["c", "d"]))).toEqual(["a"]);
    expect(ids(toggleGroup(toggle(EMPTY_SELECTION, "c"), ["c", "d"]))).toEqual(["c", "d"]);
  });

  it("select all, and items no longer shown leave", () => {
    expect(ids(selectAll(order))).toEqual(order);
    const s = keepShown(selectAll(order), ["a", "c"]);
    expect(ids(s)).toEqual(["a", "c"]);
    expect(s.anchor).toBe("a");
  });
});
