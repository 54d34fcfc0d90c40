import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { layerViolations, refusal, unitOf } from '../scripts/layers.js';

describe('layers: no import runs from a lower layer to a higher one (scripts/layers.ts)', () => {
  it('src/ follows them', () => {
    const v = layerViolations('src');
    expect(v.map((x) => `${x.file} imports ${x.imports}: ${x.why}`)).to.deep.equal([]);
  });

  const cases: [string, string, string | null][] = [
    ['store', 'ledger', null],
    ['ledger', 'store', 'store is a higher layer than ledger'],
    ['graph', 'ledger', 'ledger is a higher layer than graph'],
    ['installer', 'graph', null],
    ['sender', 'installer', 'installer is a higher layer than sender'],
    ['config', 'bot', 'bot is a higher layer than config'],
    ['cli', 'simulator', null],
    ['deps', 'simulator', 'only cli and index may start the simulator'],
    ['simulator', 'clock', null],
    ['simulator', 'ledger', 'the simulator uses only clock, errors, log, cloud, net, pace, lease-holder: it must not agree with the product by sharing its code'],
    ['newthing', 'clock', 'newthing is in no layer: add it to LAYERS in scripts/layers.ts'],
    ['installer', 'installer', null],
  ];
  for (const [from, to, why] of cases) it(`${from} → ${to}: ${why ?? 'allowed'}`, () => expect(refusal(from, to)).to.equal(why));

  it('a file at the top is its own unit; a folder is one unit', () => {
    expect(unitOf('config.ts')).to.equal('config');
    expect(unitOf(path.join('store', 'sqlite.ts'))).to.equal('store');
  });

  it('finds an upward import in a tree, type-only and re-exports included, and ignores tests and packages', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'layers-'));
    try {
      mkdirSync(path.join(dir, 'ledger'));
      mkdirSync(path.join(dir, 'store'));
      writeFileSync(path.join(dir, 'ledger', 'rows.ts'), "import type { Store } from '../store/types.js';\nexport { x } from '../store/x.js';\nimport 'node:fs';\n");
      writeFileSync(path.join(dir, 'ledger', 'rows.test.ts'), "import '../store/types.js';\n");
      writeFileSync(path.join(dir, 'store', 'types.ts'), "import type { UserRow } from '../ledger/rows.js';\n");
      expect(layerViolations(dir).map((v) => `${v.file} ${v.imports}`)).to.deep.equal(['src/ledger/rows.ts ../store/types.js', 'src/ledger/rows.ts ../store/x.js']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
