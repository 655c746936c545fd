import type cliProgress from 'cli-progress';
import type { SyncJob } from '../../contract/index.js';
import type { Output } from './output.js';

/** Shows jobs moving: a bar on a TTY, plain stable lines otherwise, nothing for --json/--quiet. */
export interface ProgressView {
  update(job: SyncJob): void;
  /**
   * A one-line notice above the bar (TTY only; lines and none modes print nothing), e.g. the
   * service went away; `mark` is shown at the end of the bar line until `clearMark`.
   */
  note(line: string, mark?: string): void;
  clearMark(): void;
  /** Final draw; the bar stays on screen. */
  stop(): void;
}

export type ProgressMode = 'bar' | 'lines' | 'none';

/** The mode the terminal calls for: bars only on a TTY stderr. */
export function progressMode(out: Output): ProgressMode {
  if (out.json || out.quiet) return 'none';
  return out.io.stderrIsTTY ? 'bar' : 'lines';
}

export async function createProgressView(
  out: Output,
  jobs: readonly SyncJob[],
  mode: ProgressMode = progressMode(out),
): Promise<ProgressView> {
  // cli-progress (15–30 ms to load) only when a bar is drawn: piped, --json and --quiet runs
  // (scripts, cron, `sync start --wait --json`) never need it.
  if (mode === 'bar') return new BarView(out, jobs, (await import('cli-progress')).default);
  if (mode === 'lines') return new LinesView(out, jobs);
  return { update: () => {}, note: () => {}, clearMark: () => {}, stop: () => {} };
}

function itemsText(job: SyncJob): string {
  return job.total_items === null ? `${job.processed_items}` : `${job.processed_items}/${job.total_items}`;
}

/**
 * One line per change of status or percentage: `activities 1a2b… running 40% 120/300`. Stable
 * enough for logs and for scripts that grep it.
 */
class LinesView implements ProgressView {
  private last = new Map<string, string>();
  constructor(
    private readonly out: Output,
    jobs: readonly SyncJob[],
  ) {
    for (const j of jobs) this.update(j);
  }
  update(job: SyncJob): void {
    const key = `${job.status} ${job.progress}`;
    if (this.last.get(job.job_id) === key) return;
    this.last.set(job.job_id, key);
    this.out.io.stderr.write(`${job.sync_type} ${job.job_id} ${job.status} ${job.progress}% ${itemsText(job)}\n`);
  }
  note(): void {}
  clearMark(): void {}
  stop(): void {}
}

/**
 * A cli-progress bar on stderr; with several jobs (`--type all`) the types are drawn side by
 * side on one line, each with its own small bar, so the screen never scrolls.
 */
class BarView implements ProgressView {
  private readonly jobs = new Map<string, SyncJob>();
  private readonly bar: cliProgress.SingleBar;
  private stopped = false;
  private mark = '';

  constructor(
    private readonly out: Output,
    jobs: readonly SyncJob[],
    lib: typeof cliProgress,
  ) {
    for (const j of jobs) this.jobs.set(j.job_id, j);
    const c = out.color;
    const columns = Math.max(40, out.io.columns);
    this.bar = new lib.SingleBar({
      stream: out.io.stderr as NodeJS.WritableStream,
      hideCursor: true,
      clearOnComplete: false,
      linewrap: false,
      fps: 10,
      format: () => {
        const all = [...this.jobs.values()];
        const each = Math.floor((columns - 3 * (all.length - 1)) / Math.max(1, all.length));
        return (
          all
            .map((j) => {
              const label = `${j.sync_type} `;
              const tail = ` ${String(j.progress).padStart(3)}% ${itemsText(j)}${statusMark(j)}`;
              const width = Math.max(5, Math.min(30, each - label.length - tail.length - 2));
              const filled = Math.round((j.progress / 100) * width);
              const bar = c.green('█'.repeat(filled)) + c.dim('░'.repeat(width - filled));
              return `${c.bold(label)}${bar}${tail}`;
            })
            .join(c.dim(' │ ')) + (this.mark ? c.dim(` ${this.mark}`) : '')
        );
      },
    });
    this.bar.start(100 * this.jobs.size, this.total());
  }

  update(job: SyncJob): void {
    if (this.stopped) return;
    this.jobs.set(job.job_id, job);
    this.bar.update(this.total());
  }

  note(line: string, mark = ''): void {
    if (this.stopped) return;
    // Over the bar's line, then a new line for the bar; the changed mark makes it redraw there.
    // ESC 7 saves that line as the bar's: cli-progress restores the saved cursor when it stops.
    this.out.io.stderr.write(`\r\x1b[2K${line}\n\x1b7`);
    this.mark = mark;
    this.bar.update(this.total());
  }

  clearMark(): void {
    this.mark = '';
    if (!this.stopped) this.bar.update(this.total());
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.bar.update(this.total());
    this.bar.stop();
  }

  private total(): number {
    let sum = 0;
    for (const j of this.jobs.values()) sum += j.progress;
    return sum;
  }
}

function statusMark(j: SyncJob): string {
  if (j.status === 'failed') return ' failed';
  if (j.status === 'cancelled') return ' cancelled';
  if (j.status === 'pending') return ' waiting';
  return '';
}
