/**
 * Typed arrays inside a chapter's JSON, exactly: a Float64Array as the base64 text of its bytes
 * (little-endian IEEE 754 doubles). JSON numbers would need about 18 characters per double to
 * round-trip and cannot hold NaN; base64 takes 10.7 and keeps every bit, so a page reading a
 * series computed at build time gets the very values it would have computed itself.
 */

const CHUNK = 0x8000;

/** The base64 text of `values` as little-endian doubles. */
export function packFloat64(values: ArrayLike<number>): string {
  const a = Float64Array.from(values);
  const bytes = new Uint8Array(a.buffer);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error("big-endian platform: packFloat64 writes little-endian doubles only");
  let text = "";
  for (let i = 0; i < bytes.length; i += CHUNK) text += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(text);
}

/** The Float64Array packed by {@link packFloat64}. Throws a RangeError for text that is not whole doubles. */
export function unpackFloat64(text: string): Float64Array {
  const binary = atob(text);
  if (binary.length % 8 !== 0) throw new RangeError(`invalid packed doubles: ${binary.length} bytes`);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; ++i) bytes[i] = binary.charCodeAt(i);
  return new Float64Array(bytes.buffer);
}
