/**
 * How long the first list of a document's comment stream may take before the comment panel says
 * the comments could not be loaded, in ms. An EventSource that cannot connect (offline, a page
 * from the offline cache) keeps trying without a word; the first list arrives within a second or
 * two even on a busy server. Its own module, so that browser tests wind their clock on by it.
 */
export const FIRST_LIST_TIMEOUT_MS = 20_000;
