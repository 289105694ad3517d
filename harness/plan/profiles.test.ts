import { describe, expect, it } from 'vitest';
import { DEFAULT_GATED_PROFILES, DEFAULT_PROFILES, PROFILE_NAMES, findProfile, profileArgs } from './profiles.ts';

describe('profiles', () => {
  it('are the README profile table, gated on staged by default, and the soak runs staged beside checkpoints off', () => {
    expect(PROFILE_NAMES).toEqual(['before', 'seed-fix', 'staged', 'no-checkpoint']);
    expect(DEFAULT_PROFILES.concurrent).toEqual(['before', 'seed-fix', 'staged']);
    expect(DEFAULT_PROFILES.soak).toEqual(['staged', 'no-checkpoint']);
    expect(DEFAULT_GATED_PROFILES).toEqual(['staged']);
  });

  it('turn into target flags, leaving out the batch size where the mode has none', () => {
    expect(profileArgs(findProfile('before')!.flags)).toEqual([
      '--import-mode', 'monolithic', '--scheduler', 'sqlite', '--connections', 'per-request', '--busy-timeout-ms', '30000',
    ]);
    expect(profileArgs(findProfile('staged')!.flags)).toEqual([
      '--import-mode', 'staged', '--batch-size', '10', '--scheduler', 'fifo', '--connections', 'pooled', '--busy-timeout-ms', '10000',
    ]);
  });
});
