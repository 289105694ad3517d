/** A database's journal mode in words: where SQLite keeps its locks in it. */
import type { JournalMode, JournalModeSpan } from '../model/lock-observation.ts';

/** Where a journal mode keeps its locks, in a few words. */
export const JOURNAL_MODE_WORDS: Readonly<Record<JournalMode | 'changed', string>> = {
  wal: 'WAL (locks on <db>-shm)',
  rollback: 'rollback journal (locks on the database file)',
  unknown: 'not known (the database never had a header)',
  changed: 'changed while observed',
};

/** The journal mode an observation saw, as reports say it: one mode, or each mode from when. */
export function formatJournalModes(modes: readonly JournalModeSpan[], overall: JournalMode | 'changed'): string {
  if (overall !== 'changed') return JOURNAL_MODE_WORDS[overall];
  return modes
    .filter((m) => m.mode !== 'unknown')
    .map((m, i) => (i === 0 ? JOURNAL_MODE_WORDS[m.mode] : `from ${new Date(m.startMs).toISOString().slice(11, 23)}Z ${JOURNAL_MODE_WORDS[m.mode]}`))
    .join(', then ');
}
