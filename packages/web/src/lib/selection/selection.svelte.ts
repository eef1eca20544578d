import {
  EMPTY_SELECTION,
  extendTo,
  keepShown,
  type SelectionState,
  selectAll,
  toggle,
  toggleGroup,
} from "./selection-range.js";

/** The grid's multi-select: one per grid, over the ids in the order the grid shows them. */
export class Selection {
  state = $state.raw<SelectionState>(EMPTY_SELECTION);
  readonly count = $derived(this.state.ids.size);
  readonly active = $derived(this.state.ids.size > 0);

  has(id: string): boolean {
    return this.state.ids.has(id);
  }

  ids(): string[] {
    return [...this.state.ids];
  }

  /** A click on a tile's check (or Ctrl/⌘-click), or a Shift-click that extends from the anchor. */
  click(id: string, order: readonly string[], shift: boolean): void {
    this.state = shift ? extendTo(this.state, id, order) : toggle(this.state, id);
  }

  group(ids: readonly string[]): void {
    this.state = toggleGroup(this.state, ids);
  }

  /** A drag selection: exactly these ids (the anchor stays). */
  replace(ids: ReadonlySet<string>): void {
    this.state = { ids, anchor: this.state.anchor };
  }

  all(order: readonly string[]): void {
    this.state = selectAll(order);
  }

  clear(): void {
    this.state = EMPTY_SELECTION;
  }

  /** The grid's items changed: what is gone leaves the selection. */
  keep(order: readonly string[]): void {
    const next = keepShown(this.state, order);
    if (next !== this.state) this.state = next;
  }
}
