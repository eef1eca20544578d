export { formatBytes, formatDuration } from "./lib/format.js";
export { searchLibrary } from "./lib/search-index.js";
export { columnsFor, firstVisibleRow, layoutTimeline, visibleRows } from "./lib/timeline-layout.js";
