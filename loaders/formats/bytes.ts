/**
 * The byte-level helpers of the readers live in `lib/bytes.ts`, shared with the browser-safe
 * message parsers of `lib/messages/` (the live page parses the same messages the recording
 * readers do); re-exported here for the readers.
 */
export * from "../../lib/bytes.ts";
