export { searchLibrary } from "./lib/state/search-index.js";
export { columnsFor, firstVisibleRow, layoutTimeline, visibleRows } from "./lib/state/timeline-layout.js";
export { formatBytes, formatDuration } from "./lib/util/format.js";
