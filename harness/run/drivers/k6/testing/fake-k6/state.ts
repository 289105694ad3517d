/**
 * A tiny stand-in for the k6 modules a workload script imports, for running its functions in Node: what
 * k6 would know (the iteration, the VU's metadata) is set by the test, and what the script hands k6 (metric
 * samples with their tags and metadata) is recorded here.
 */
export interface RecordedSample {
  metric: string;
  value: number | boolean;
  tags: Record<string, string>;
  metadata: Record<string, string | number | boolean>;
}

export const fake = {
  scenario: { name: '', iterationInTest: 0 },
  metadata: {} as Record<string, string | number | boolean>,
  samples: [] as RecordedSample[],
};
