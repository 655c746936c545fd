// The shape every row returns; the report renders only this, so a row cannot print a number
// that it did not put here.

/** One measured quantity with all its repetitions. */
export interface Figure {
  label: string;
  unit: string;
  values: number[];
  /** A short remark shown beside the figure (e.g. "computed", "from emulator stats"). */
  note?: string;
}

/** A target from the issue, judged on the measured medians. `met` undefined: could not judge. */
export interface Target {
  text: string;
  measured: string;
  met: boolean | undefined;
}

export interface RowResult {
  id: number;
  title: string;
  /** Parameters of this run (N, latency, budget, repetitions) in words. */
  params: string;
  figures: Figure[];
  targets: Target[];
  notes: string[];
  /** Set when the row (or a part of it) could not run; the reason is printed instead of numbers. */
  notRun?: string;
  wallMs: number;
  /** When and on what this row was measured (a page can hold rows of more than one run: --update). */
  measured?: Provenance;
}

/** The run a row's figures come from. */
export interface Provenance {
  /** When the row started. */
  date: string;
  commit: string;
  dirty: boolean;
  /** 1-minute load average when the row started and when it ended. */
  loadAtStart: number;
  loadAtEnd: number;
}

export function notRun(id: number, title: string, reason: string, targets: string[] = []): RowResult {
  return {
    id,
    title,
    params: '',
    figures: [],
    targets: targets.map((text) => ({ text, measured: 'not run', met: undefined })),
    notes: [],
    notRun: reason,
    wallMs: 0,
  };
}
