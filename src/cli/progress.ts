import cliProgress from 'cli-progress';

/**
 * Live progress on stderr (stdout stays data): bars on a TTY, a plain line every few seconds
 * otherwise (PRODUCT.md §3). What to show comes from render.ts; this file only draws.
 */
export interface ProgressBarSpec {
  key: string;
  label: string;
  value: number;
  total: number;
  detail: string;
}

export interface ProgressSnapshot {
  bars: ProgressBarSpec[];
  /** One line for logs and non-TTY output. */
  line: string;
  /** The bar's width, fitted to the terminal by render.ts (barSizeFor). */
  barSize?: number;
}

/** Labels are padded to this width so the bars line up. */
export const PROGRESS_LABEL_WIDTH = 11;

export interface ProgressView {
  update(s: ProgressSnapshot): void;
  stop(): void;
}

export function createProgressView(options: { stream?: NodeJS.WriteStream; plainEveryMs?: number; enabled?: boolean } = {}): ProgressView {
  const stream = options.stream ?? process.stderr;
  if (options.enabled === false) return { update() {}, stop() {} };
  if (!stream.isTTY) return plainView(stream, options.plainEveryMs ?? 5000);
  let multi: cliProgress.MultiBar | undefined;
  const open = (barsize: number) =>
    new cliProgress.MultiBar(
      {
        stream,
        format: ' {label} {bar} {value}/{total} {detail}',
        barsize,
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        fps: 8,
        barCompleteChar: '█',
        barIncompleteChar: '░',
      },
      cliProgress.Presets.shades_classic,
    );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    update(s) {
      multi ??= open(s.barSize ?? 28);
      for (const b of s.bars) {
        const payload = { label: b.label.padEnd(PROGRESS_LABEL_WIDTH), detail: b.detail };
        const bar = bars.get(b.key);
        if (!bar) bars.set(b.key, multi.create(Math.max(1, b.total), b.value, payload));
        else {
          bar.setTotal(Math.max(1, b.total));
          bar.update(b.value, payload);
        }
      }
    },
    stop() {
      multi?.stop();
    },
  };
}

function plainView(stream: NodeJS.WritableStream, everyMs: number): ProgressView {
  let last = 0;
  let pending: string | undefined;
  return {
    update(s) {
      pending = s.line;
      const now = Date.now();
      if (now - last >= everyMs) {
        last = now;
        stream.write(`${s.line}\n`);
        pending = undefined;
      }
    },
    stop() {
      if (pending) stream.write(`${pending}\n`);
      pending = undefined;
    },
  };
}
