/**
 * Progress on stderr: on a terminal, one line redrawn with the current phase and its elapsed time;
 * with CI set (or when stderr is not a terminal), plain lines when a phase starts and ends.
 */
import type { Progress } from '../model/progress.ts';
import { formatDuration } from './format.ts';

/** How often the terminal line is redrawn, in milliseconds (rarely: the run shares two cores with what it measures). */
export const REDRAW_INTERVAL_MS = 500;


export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Redraw a live line; default: the stream is a TTY and CI is not set. */
  live?: boolean;
}

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const live = options.live ?? (stream.isTTY === true && !process.env.CI);
  const runStarted = performance.now();
  let current: { label: string; started: number } | undefined;
  let timer: NodeJS.Timeout | undefined;

  const total = () => formatDuration(performance.now() - runStarted);
  const clearLine = () => {
    if (live) stream.write('\r\x1b[2K');
  };
  const draw = () => {
    if (!current) return;
    clearLine();
    stream.write(`${current.label} ${formatDuration(performance.now() - current.started)} (total ${total()})`);
  };

  return {
    start(label) {
      const phase = { label, started: performance.now() };
      current = phase;
      if (live) {
        draw();
        timer ??= setInterval(draw, REDRAW_INTERVAL_MS);
        timer.unref();
      } else {
        stream.write(`${label} ...\n`);
      }
      return (outcome = 'done') => {
        if (current === phase) current = undefined;
        clearLine();
        stream.write(`${label}: ${outcome} in ${formatDuration(performance.now() - phase.started)}\n`);
        if (current) draw();
      };
    },
    info(message) {
      clearLine();
      stream.write(`${message}\n`);
      if (live) draw();
    },
    close() {
      clearInterval(timer);
      timer = undefined;
      clearLine();
    },
  };
}
