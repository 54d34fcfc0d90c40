import { expect } from 'chai';
import type { InstallProgress } from '../installer/run.js';
import type { GraphStats } from '../graph/stats.js';
import { barSizeFor, fitDetail, installProgressSnapshot, terminalColumns } from './render.js';
import { PROGRESS_LABEL_WIDTH } from './progress.js';

const LIMITS = { graphPostRps: 30 };

function progress(over: Partial<InstallProgress> = {}): InstallProgress {
  return {
    phase: 'install',
    welcome: true,
    discovered: { targets: 1000, toInstall: 1000, alreadyDone: 0, byReason: {}, limitReached: false },
    install: { attempted: 880, created: 870, conflict: 9, refused: 1, referencesFromGraph: 0, ruledOut: 120 },
    counts: [],
    graphStats: { throttled: 0 } as GraphStats,
    startedAt: 0,
    installStartedAt: 1_000,
    ...over,
  };
}

/** What cli-progress draws for one bar (progress.ts's format: ' {label} {bar} {value}/{total} {detail}'). */
const drawn = (b: { label: string; value: number; total: number; detail: string }, barSize: number) => ` ${b.label.padEnd(PROGRESS_LABEL_WIDTH)} ${'█'.repeat(barSize)} ${b.value}/${b.total} ${b.detail}`;

describe('installProgressSnapshot (issue 11 minor: progress consistent and fitting)', () => {
  it('the installed bar can reach its total: people ruled out after discovery never get a call', () => {
    const bar = installProgressSnapshot(progress(), 30_000, LIMITS).bars.find((b) => b.key === 'installed')!;
    expect([bar.value, bar.total]).to.deep.equal([880, 880]);
    expect(installProgressSnapshot(progress(), 30_000, LIMITS).line).to.contain('refused of 880');
  });

  it("once the install pass ends the bar's rate is the summary's (pacedRate over the pass), not one that falls while welcomes settle", () => {
    // 880 calls in 30 s = 29.3/s by pacedRate; 90 s later, in settle, the old bar read 880/120 = 7.3/s.
    const p = progress({ phase: 'settle', installSeconds: 30 });
    const bar = installProgressSnapshot(p, 121_000, LIMITS).bars.find((b) => b.key === 'installed')!;
    expect(bar.detail).to.match(/^29\.3\/s of 30/);
  });

  const cases: { name: string; p: InstallProgress; now: number }[] = [
    { name: 'installing', p: progress(), now: 30_000 },
    { name: 'settling with welcomes', p: progress({ phase: 'settle', installSeconds: 30, counts: [{ state: 'welcomed', reason: null, count: 870 }, { state: 'failed', reason: 'network_error', count: 1 }] }), now: 60_000 },
    { name: 'a large run', p: progress({ discovered: { targets: 100_000, toInstall: 99_000, alreadyDone: 500, byReason: { 'skipped:guest': 500 }, limitReached: false }, install: { attempted: 98_000, created: 97_000, conflict: 900, refused: 100, referencesFromGraph: 0, ruledOut: 1_000 }, graphStats: { throttled: 1234 } as GraphStats }), now: 3_400_000 },
  ];
  for (const c of cases) {
    it(`at 80 columns every bar fits on one line and is cut only between parts: ${c.name}`, () => {
      const s = installProgressSnapshot(c.p, c.now, LIMITS, 80);
      expect(s.barSize).to.equal(barSizeFor(80));
      for (const b of s.bars) {
        expect(drawn(b, s.barSize!).length, drawn(b, s.barSize!)).to.be.at.most(79);
        expect(b.detail, 'the rate stays in view').to.satisfy((d: string) => b.key !== 'installed' || /\/s of 30/.test(d));
        expect(b.detail).to.not.match(/ · $|^ · /);
      }
    });
  }

  it('a wide terminal shows every part and the full bar', () => {
    const s = installProgressSnapshot(progress(), 31_000, LIMITS, 160);
    expect(s.barSize).to.equal(28);
    expect(s.bars.find((b) => b.key === 'installed')!.detail).to.equal('29.3/s of 30 · 870 new · 9 already · 1 refused · 429s 0');
  });
});

describe('fitDetail and terminalColumns', () => {
  const table: [string, number, string][] = [
    ['a · b · c', 9, 'a · b · c'],
    ['a · b · c', 8, 'a · b'],
    ['a · b · c', 1, 'a'],
    ['abcdef', 3, ''],
  ];
  for (const [detail, room, out] of table) it(`fitDetail(${JSON.stringify(detail)}, ${room}) = ${JSON.stringify(out)}`, () => expect(fitDetail(detail, room)).to.equal(out));

  const cols: [number | undefined, string | undefined, number][] = [
    [120, '60', 120],
    [undefined, '60', 60],
    [undefined, 'wide', 80],
    [undefined, undefined, 80],
  ];
  for (const [stream, env, out] of cols) it(`stream ${stream}, COLUMNS=${env} → ${out}`, () => expect(terminalColumns(stream, env === undefined ? {} : { COLUMNS: env })).to.equal(out));
});
