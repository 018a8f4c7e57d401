/**
 * Append-only typed arrays that double their capacity: a model builder fills them one entry at a
 * time without a JavaScript number[] per field (no boxing, no copy from number[] at the end).
 */
abstract class Growable<A extends Float64Array | Int32Array | Uint8Array> {
  protected data: A;
  length = 0;

  constructor(capacity: number) {
    this.data = this.allocate(Math.max(16, capacity));
  }

  protected abstract allocate(capacity: number): A;

  push(value: number): this {
    if (this.length === this.data.length) {
      const next = this.allocate(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
    return this;
  }

  get(index: number): number {
    return this.data[index];
  }

  set(index: number, value: number): void {
    this.data[index] = value;
  }

  /** Adds `value` to entry `index`; returns the new value. */
  add(index: number, value: number): number {
    return (this.data[index] += value);
  }

  /** A copy of the filled part, sized exactly. */
  toArray(): A {
    return this.data.slice(0, this.length) as A;
  }
}

export class GrowableFloat64 extends Growable<Float64Array> {
  constructor(capacity = 1024) {
    super(capacity);
  }

  protected allocate(capacity: number): Float64Array {
    return new Float64Array(capacity);
  }
}

export class GrowableInt32 extends Growable<Int32Array> {
  constructor(capacity = 1024) {
    super(capacity);
  }

  protected allocate(capacity: number): Int32Array {
    return new Int32Array(capacity);
  }
}

export class GrowableUint8 extends Growable<Uint8Array> {
  constructor(capacity = 1024) {
    super(capacity);
  }

  protected allocate(capacity: number): Uint8Array {
    return new Uint8Array(capacity);
  }
}
