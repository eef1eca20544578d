/** The selection's pure rules, over item ids in the order the grid shows them. */
export interface SelectionState {
  ids: ReadonlySet<string>;
  /** Where a Shift-click range starts: the last item clicked without Shift. */
  anchor: string | null;
}

export const EMPTY_SELECTION: SelectionState = { ids: new Set(), anchor: null };

export function toggle(state: SelectionState, id: string): SelectionState {
  const ids = new Set(state.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: id };
}

/** Shift-click: everything from the anchor to `id`, added to what was selected (as in Google Photos). */
export function extendTo(state: SelectionState, id: string, order: readonly string[]): SelectionState {
  const to = order.indexOf(id);
  const from = state.anchor === null ? -1 : order.indexOf(state.anchor);
  if (to < 0) return state;
  if (from < 0) return toggle(state, id);
  const [lo, hi] = from < to ? [from, to] : [to, from];
  const ids = new Set(state.ids);
  for (let i = lo; i <= hi; i++) ids.add(order[i]!);
  return { ids, anchor: state.anchor };
}

/** A day's or month's check: selects the whole group, or clears it when all of it was selected. */
export function toggleGroup(state: SelectionState, group: readonly string[]): SelectionState {
  const ids = new Set(state.ids);
  const all = group.length > 0 && group.every((id) => ids.has(id));
  for (const id of group) {
    if (all) ids.delete(id);
    else ids.add(id);
  }
  return { ids, anchor: state.anchor };
}

export function selectAll(order: readonly string[]): SelectionState {
  return { ids: new Set(order), anchor: order[0] ?? null };
}

/** Ids that are no longer shown (deleted elsewhere, filtered out) leave the selection. */
export function keepShown(state: SelectionState, order: readonly string[]): SelectionState {
  const shown = new Set(order);
  if ([...state.ids].every((id) => shown.has(id))) return state;
  return {
    ids: new Set([...state.ids].filter((id) => shown.has(id))),
    anchor: state.anchor && shown.has(state.anchor) ? state.anchor : null,
  };
}
