/**
 * The compact state of the periodic report (issue 15, SPEC §13 Scale): what its final figures need of each included
 * patient, in typed-array columns indexed by a small patient number, texts and values interned as int codes.
 * Pure TypeScript: no object per patient, no form data kept once a form is folded in.
 */

/** No code: an absent text or value (-1), and, for a sex, "not given" (-2) as against `null` (-1). */
export const NONE = -1;
export const NOT_GIVEN = -2;

/** Each distinct text once, by a code 0, 1, … in first-seen order. */
export class TextCodes {
  private readonly codes = new Map<string, number>();
  private readonly texts: string[] = [];

  code(text: string): number {
    let code = this.codes.get(text);
    if (code === undefined) {
      code = this.texts.length;
      this.texts.push(text);
      this.codes.set(text, code);
    }
    return code;
  }

  /** The code of a text, or NONE for an absent one. */
  optional(text: string | null | undefined): number {
    return typeof text === 'string' ? this.code(text) : NONE;
  }

  text(code: number): string {
    return this.texts[code] as string;
  }

  /** The text of a code, or null for NONE. */
  orNull(code: number): string | null {
    return code < 0 ? null : (this.texts[code] as string);
  }
}

/**
 * Each distinct clinical value once, by a code: primitives by value (-0 apart from 0), objects and arrays by their
 * JSON text, the first one seen standing for the others (as the report interned them before).
 */
export class ValueCodes {
  private primitives = new Map<unknown, number>();
  private objects = new Map<string | undefined, number>();
  private negativeZero = NONE;
  private readonly values: unknown[] = [];

  /** The code of a value, or NONE for `undefined` (an absent field). */
  code(value: unknown): number {
    if (value === undefined) return NONE;
    if (typeof value === 'object' && value !== null) {
      const key = JSON.stringify(value);
      const known = this.objects.get(key);
      if (known !== undefined) return known;
      const code = this.add(value);
      this.objects.set(key, code);
      return code;
    }
    if (Object.is(value, -0)) {
      if (this.negativeZero === NONE) this.negativeZero = this.add(value);
      return this.negativeZero;
    }
    const known = this.primitives.get(value);
    if (known !== undefined) return known;
    const code = this.add(value);
    this.primitives.set(value, code);
    return code;
  }

  private add(value: unknown): number {
    this.values.push(value);
    return this.values.length - 1;
  }

  value(code: number): unknown {
    return code < 0 ? undefined : this.values[code];
  }

  /** The number of distinct values. */
  get size(): number {
    return this.values.length;
  }

  /** Drops the look-up tables (no value is coded any more); the values stay readable. */
  seal(): void {
    this.primitives = new Map();
    this.objects = new Map();
  }
}

function grownInt32(a: Int32Array, capacity: number, fill: number): Int32Array {
  const b = new Int32Array(capacity);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

function grownFloat64(a: Float64Array, capacity: number): Float64Array {
  const b = new Float64Array(capacity);
  b.set(a);
  return b;
}

function grownUint8(a: Uint8Array, capacity: number): Uint8Array {
  const b = new Uint8Array(capacity);
  b.set(a);
  return b;
}

/** A column of int codes that grows by doubling; new slots hold `fill`. */
export class Int32Column {
  data: Int32Array;
  constructor(
    capacity: number,
    private readonly fill: number,
  ) {
    this.data = new Int32Array(capacity).fill(fill);
  }
  reserve(capacity: number): void {
    if (capacity > this.data.length) this.data = grownInt32(this.data, Math.max(capacity, this.data.length * 2), this.fill);
  }
}

/** A column of numbers that grows by doubling; new slots hold 0. */
export class Float64Column {
  data: Float64Array;
  constructor(capacity: number) {
    this.data = new Float64Array(capacity);
  }
  reserve(capacity: number): void {
    if (capacity > this.data.length) this.data = grownFloat64(this.data, Math.max(capacity, this.data.length * 2));
  }
}

/** A column of bit flags that grows by doubling; new slots hold 0. */
export class FlagColumn {
  data: Uint8Array;
  constructor(capacity: number) {
    this.data = new Uint8Array(capacity);
  }
  reserve(capacity: number): void {
    if (capacity > this.data.length) this.data = grownUint8(this.data, Math.max(capacity, this.data.length * 2));
  }
  has(i: number, flag: number): boolean {
    return ((this.data[i] as number) & flag) !== 0;
  }
  set(i: number, flag: number, on: boolean): void {
    this.data[i] = on ? (this.data[i] as number) | flag : (this.data[i] as number) & ~flag;
  }
}

/**
 * Short lists of int codes, one list per owner (a patient), kept in insertion order in one pool of linked cells:
 * eight bytes a code, no array per owner.
 */
export class CodeLists {
  private readonly head: Int32Column;
  private readonly tail: Int32Column;
  private codes: Int32Array = new Int32Array(1024);
  private next: Int32Array = new Int32Array(1024);
  private used = 0;

  constructor(capacity: number) {
    this.head = new Int32Column(capacity, NONE);
    this.tail = new Int32Column(capacity, NONE);
  }

  reserve(owners: number): void {
    this.head.reserve(owners);
    this.tail.reserve(owners);
  }

  includes(owner: number, code: number): boolean {
    for (let cell = this.head.data[owner] as number; cell !== NONE; cell = this.next[cell] as number) if (this.codes[cell] === code) return true;
    return false;
  }

  push(owner: number, code: number): void {
    if (this.used === this.codes.length) {
      this.codes = grownInt32(this.codes, this.used * 2, 0);
      this.next = grownInt32(this.next, this.used * 2, 0);
    }
    const cell = this.used++;
    this.codes[cell] = code;
    this.next[cell] = NONE;
    const last = this.tail.data[owner] as number;
    if (last === NONE) this.head.data[owner] = cell;
    else this.next[last] = cell;
    this.tail.data[owner] = cell;
  }

  /** Calls `each` with the owner's codes in insertion order. */
  forEach(owner: number, each: (code: number) => void): void {
    for (let cell = this.head.data[owner] as number; cell !== NONE; cell = this.next[cell] as number) each(this.codes[cell] as number);
  }
}

/** Stable order of `count` indices by `compare` (Array.prototype.sort is stable). */
export function sortedIndices(count: number, compare: (a: number, b: number) => number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  return order.sort(compare);
}
