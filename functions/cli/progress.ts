/**
 * Progress of a live scan on stderr: a one-line bar redrawn in place on a terminal, plain
 * lines when stderr is a file or a pipe (a log keeps every line), nothing with --quiet.
 */

export interface ProgressState {
  done: number;
  total: number;
  calls: number;
  elapsedMs: number;
}

/** `1:05`, `12:00`, `1:02:03`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

const MAX_BAR_WIDTH = 20;
const MIN_BAR_WIDTH = 5;

/**
 * `[########------------] 7/17 account-regions  312 API calls  0:41 elapsed  ETA 0:58`: the bar takes
 * the room left in `columns - 1` characters (none when too narrow), so the terminal never wraps the
 * line (a wrapped line cannot be redrawn with `\r`).
 */
export function progressText(state: ProgressState, columns = 80): string {
  const { done, total, calls, elapsedMs } = state;
  // The average time per account-region so far, times what is left: regions run side by side, so do the averages.
  const eta =
    done === total ? 'done' : done > 0 ? `ETA ${formatDuration((elapsedMs / done) * (total - done))}` : 'ETA -:--';
  const text = `${done}/${total} account-regions  ${calls} API calls  ${formatDuration(elapsedMs)} elapsed  ${eta}`;
  const width = Math.min(MAX_BAR_WIDTH, columns - 1 - text.length - 3);
  if (width < MIN_BAR_WIDTH) return text.slice(0, Math.max(1, columns - 1));
  const filled = total > 0 ? Math.round((done / total) * width) : width;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}`;
}

/** What a live scan reports, whatever the mode. */
export interface ScanProgress {
  /** A note (the scan's plan, a publishing result): a line, above the bar on a terminal; nothing with --quiet. */
  note(line: string): void;
  /** One account-region finished; `line` says what was collected, `problem` whether it is incomplete. */
  scopeDone(line: string, problem: boolean): void;
  /** The scan is over: the bar is left at its final state on its own line. */
  end(): void;
}

export interface ProgressOptions {
  mode: 'quiet' | 'lines' | 'bar';
  total: number;
  write: (text: string) => void;
  /** API calls made so far. */
  calls: () => number;
  columns?: number | undefined;
  now?: () => number;
  /** How often the bar is redrawn while nothing finishes (elapsed time and calls move on); 0 for never. */
  redrawMs?: number;
}

const CLEAR_LINE = '\r\x1b[K';

export function scanProgress(options: ProgressOptions): ScanProgress {
  const { mode, total, write, calls, columns } = options;
  const now = options.now ?? Date.now;
  if (mode === 'quiet') return { note: () => undefined, scopeDone: () => undefined, end: () => undefined };
  if (mode === 'lines') return { note: (line) => write(line), scopeDone: (line) => write(line), end: () => undefined };

  const started = now();
  let done = 0;
  let shown = false;
  let ended = false;
  const draw = (): void => {
    write(`${CLEAR_LINE}${progressText({ done, total, calls: calls(), elapsedMs: now() - started }, columns)}`);
    shown = true;
  };
  const redrawMs = options.redrawMs ?? 1000;
  const timer = redrawMs > 0 ? setInterval(draw, redrawMs) : undefined;
  // A timer must never keep the process alive after the scan.
  timer?.unref();
  const above = (line: string): void => {
    write(shown ? `${CLEAR_LINE}${line}` : line);
    draw();
  };
  return {
    note: (line) => (ended ? write(line) : above(line)),
    scopeDone: (line, problem) => {
      done++;
      if (problem) above(line);
      else draw();
    },
    end: () => {
      if (ended) return;
      ended = true;
      if (timer) clearInterval(timer);
      draw();
      write('\n');
    },
  };
}
