/** What the run says while it goes: phases with their outcome, and lines of their own. The CLI gives one (harness/reports/progress.ts). */
export interface Progress {
  /** Starts a phase; the returned function ends it with its outcome. */
  start(label: string): (outcome?: 'done' | 'failed' | 'interrupted') => void;
  /** A line of its own (what k6 provisioning says, a profile's verdict). */
  info(message: string): void;
  close(): void;
}
