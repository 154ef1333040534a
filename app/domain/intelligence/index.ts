/**
 * Customer intelligence (issue 7), pure: RFM scores and segments, value
 * classes, purchase cadence and lifecycle stages, with their settings. Storage,
 * the nightly job and the pages call these; nothing here reads a clock or a
 * database.
 */
export * from "./settings";
export * from "./rfm";
export * from "./value-class";
export * from "./cadence";
export * from "./lifecycle";
export type { IntelText } from "./shared";
