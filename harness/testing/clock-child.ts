/** Test support: a process that answers every message with its `epochNowMs()`. */
import { epochNowMs } from '../shared/clock.ts';

process.on('message', () => process.send?.(epochNowMs()));
process.send?.('ready');
