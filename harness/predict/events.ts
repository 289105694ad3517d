/**
 * The clock and agenda of the simulation: callbacks run in time order, ties in the order they were
 * scheduled, so a run is deterministic for a given input and seed.
 */

interface Entry {
  atMs: number;
  seq: number;
  run: () => void;
}

/** A discrete-event agenda on a binary heap; time in ms from the start of the simulation. */
export class Agenda {
  nowMs = 0;
  private heap: Entry[] = [];
  private seq = 0;

  /** Runs `run` at `atMs` (never earlier than now). */
  at(atMs: number, run: () => void): void {
    this.push({ atMs: Math.max(atMs, this.nowMs), seq: this.seq++, run });
  }

  /** Runs `run` after `delayMs`. */
  after(delayMs: number, run: () => void): void {
    this.at(this.nowMs + delayMs, run);
  }

  /** Runs every callback, including those scheduled on the way, until none is left or `limitMs` is passed. */
  runAll(limitMs = Number.POSITIVE_INFINITY): void {
    for (let next = this.pop(); next !== undefined; next = this.pop()) {
      if (next.atMs > limitMs) return;
      this.nowMs = next.atMs;
      next.run();
    }
  }

  private before(a: Entry, b: Entry): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i]!, heap[parent]!)) break;
      const swap = heap[i]!;
      heap[i] = heap[parent]!;
      heap[parent] = swap;
      i = parent;
    }
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && this.before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        const swap = heap[i]!;
        heap[i] = heap[m]!;
        heap[m] = swap;
        i = m;
      }
    }
    return top;
  }
}
