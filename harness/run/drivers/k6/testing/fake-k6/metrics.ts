import { fake } from './state.ts';

class Metric {
  constructor(readonly name: string) {}
  add(value: number | boolean, tags: Record<string, string> = {}): void {
    fake.samples.push({ metric: this.name, value, tags: { ...tags }, metadata: { ...fake.metadata } });
  }
}

export class Counter extends Metric {}
export class Rate extends Metric {}
export class Trend extends Metric {}
export class Gauge extends Metric {}
