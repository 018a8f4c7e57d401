/**
 * Counts samples accepted but not yet committed and makes producers wait, first come first served,
 * while the budget is spent. A request larger than the whole budget is admitted alone.
 */
export class InFlightLimiter {
  private used = 0;
  private readonly waiters: { n: number; resolve: () => void }[] = [];

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new RangeError('capacity must be positive');
  }

  get inFlight(): number {
    return this.used;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  acquire(n: number): Promise<void> {
    if (this.waiters.length === 0 && this.fits(n)) {
      this.used += n;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  release(n: number): void {
    this.used -= n;
    while (this.waiters.length > 0 && this.fits(this.waiters[0].n)) {
      const w = this.waiters.shift()!;
      this.used += w.n;
      w.resolve();
    }
  }

  private fits(n: number): boolean {
    return this.used === 0 || this.used + n <= this.capacity;
  }
}
