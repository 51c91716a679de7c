/** Typed arrays that columns and tables grow (util/string-index.ts, diff/snapshot-store.ts). */
type Growable = Uint8Array | Uint32Array | Float64Array;

/** A copy of `array` in a new array of the same type and `length` elements, the rest zero. */
export function grown<T extends Growable>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}
