/** One page of records in key order, and whether the store holds more after it. */
export type Page<T> = { items: T[]; more: boolean };
