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

/** Columns grow by chunks of 4,096 slots: no copy as they grow, no slot more than a chunk unused. */
const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
const SLOT = CHUNK - 1;

/** A column of int codes, by slot; `reserve` before `set`; new slots hold `fill`. */
export class Int32Column {
  private readonly chunks: Int32Array[] = [];
  constructor(private readonly fill: number) {}
  reserve(slots: number): void {
    while (this.chunks.length * CHUNK < slots) this.chunks.push(new Int32Array(CHUNK).fill(this.fill));
  }
  get(i: number): number {
    return (this.chunks[i >>> CHUNK_BITS] as Int32Array)[i & SLOT] as number;
  }
  set(i: number, value: number): void {
    (this.chunks[i >>> CHUNK_BITS] as Int32Array)[i & SLOT] = value;
  }
}

/** A column of numbers, by slot; `reserve` before `set`; new slots hold 0. */
export class Float64Column {
  private readonly chunks: Float64Array[] = [];
  reserve(slots: number): void {
    while (this.chunks.length * CHUNK < slots) this.chunks.push(new Float64Array(CHUNK));
  }
  get(i: number): number {
    return (this.chunks[i >>> CHUNK_BITS] as Float64Array)[i & SLOT] as number;
  }
  set(i: number, value: number): void {
    (this.chunks[i >>> CHUNK_BITS] as Float64Array)[i & SLOT] = value;
  }
}

/** A column of bit flags, by slot; `reserve` before `set`; new slots hold 0. */
export class FlagColumn {
  private readonly chunks: Uint8Array[] = [];
  reserve(slots: number): void {
    while (this.chunks.length * CHUNK < slots) this.chunks.push(new Uint8Array(CHUNK));
  }
  get(i: number): number {
    return (this.chunks[i >>> CHUNK_BITS] as Uint8Array)[i & SLOT] as number;
  }
  has(i: number, flag: number): boolean {
    return (this.get(i) & flag) !== 0;
  }
  set(i: number, flag: number, on: boolean): void {
    (this.chunks[i >>> CHUNK_BITS] as Uint8Array)[i & SLOT] = on ? this.get(i) | flag : this.get(i) & ~flag;
  }
  /** Sets the slot's flags at once. */
  setAll(i: number, flags: number): void {
    (this.chunks[i >>> CHUNK_BITS] as Uint8Array)[i & SLOT] = flags;
  }
}

/**
 * Small sets of int codes, one set per owner (a patient), that remember their insertion order: codes 0–31 as the
 * bits of one int per owner; an owner whose codes do not arrive in increasing order, or that has a code from 32,
 * also keeps its codes in a list of its own, in insertion order (rare where codes are given in first-seen order,
 * e.g. the labels `initiation`, `M3`, `M6`, … of forms read in date order). Four bytes an owner, not a cell a code.
 */
export class OrderedCodeSets {
  private readonly bits: Int32Column;
  private readonly listed = new Map<number, number[]>();

  constructor() {
    this.bits = new Int32Column(0);
  }

  reserve(owners: number): void {
    this.bits.reserve(owners);
  }

  includes(owner: number, code: number): boolean {
    if (code < 32) return (this.bits.get(owner) & (1 << code)) !== 0;
    return this.listed.get(owner)?.includes(code) ?? false;
  }

  /** Adds a code the owner does not have yet. */
  add(owner: number, code: number): void {
    const bits = this.bits.get(owner);
    let list = this.listed.get(owner);
    // in increasing order so far: the bits alone give the order, unless this code is below one already in
    if (list === undefined && (code >= 32 || (code < 31 && bits >>> (code + 1) !== 0))) {
      list = [];
      for (let c = 0; c < 32; c++) if ((bits & (1 << c)) !== 0) list.push(c);
      this.listed.set(owner, list);
    }
    if (code < 32) this.bits.set(owner, bits | (1 << code));
    list?.push(code);
  }

  /** Calls `each` with the owner's codes in insertion order. */
  forEach(owner: number, each: (code: number) => void): void {
    const list = this.listed.get(owner);
    if (list !== undefined) {
      for (const code of list) each(code);
      return;
    }
    const bits = this.bits.get(owner);
    for (let c = 0; c < 32; c++) if ((bits & (1 << c)) !== 0) each(c);
  }
}

/** Stable order of `count` indices by `compare` (Array.prototype.sort is stable). */
export function sortedIndices(count: number, compare: (a: number, b: number) => number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  return order.sort(compare);
}
