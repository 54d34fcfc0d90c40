import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { jsonSchemaText, OUTPUT_SCHEMAS } from './output-schemas.js';

const names = Object.keys(OUTPUT_SCHEMAS) as (keyof typeof OUTPUT_SCHEMAS)[];

describe('output schemas (schemas/*.schema.json)', () => {
  it('the checked-in files are what src/cli/output-schemas.ts writes, one per output and no other (npm run schemas)', () => {
    const files = readdirSync('schemas').filter((f) => f.endsWith('.schema.json')).sort();
    expect(files).to.deep.equal(names.map((n) => `${n}.schema.json`).sort());
    for (const n of names) expect(readFileSync(`schemas/${n}.schema.json`, 'utf8'), `schemas/${n}.schema.json is stale: run npm run schemas`).to.equal(jsonSchemaText(n));
  });

  const ajv = new Ajv2020({ allErrors: true, strict: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  const error = ajv.compile(JSON.parse(jsonSchemaText('error')));
  const good = { error: { code: 'CONFIG', message: 'AZURE_TENANT_ID is not set', fix: 'set it', exitCode: 2 } };
  // Each one a way a script reading our output would be misled: the schema must refuse it.
  const bad: [string, unknown][] = [
    ['a field the schema does not name', { error: { ...good.error, hint: 'x' } }],
    ['a missing field', { error: { code: 'CONFIG', message: 'm', exitCode: 2 } }],
    ['a string where a number is', { error: { ...good.error, exitCode: '2' } }],
    ['exit code 0 for an error', { error: { ...good.error, exitCode: 0 } }],
    ['not an object', [good]],
  ];
  it('accepts a well-formed error object', () => expect(error(good), ajv.errorsText(error.errors)).to.equal(true));
  for (const [what, value] of bad) it(`refuses ${what}`, () => expect(error(value)).to.equal(false));

  it('report rows: refuses a state that does not exist and a time that is not ISO 8601', () => {
    const report = ajv.compile(JSON.parse(jsonSchemaText('report')));
    const row = { userPrincipalName: 'a@x', aadObjectId: 'id', displayName: null, state: 'welcomed', reason: null, statusCode: null, serviceCode: null, detail: null, installAttempts: 1, welcomeAttempts: 1, installedAt: '2026-12-08T02:00:00.000Z', welcomedAt: null, optedOut: false, rolloutId: 'r', tenantId: 't' };
    expect(report([row]), ajv.errorsText(report.errors)).to.equal(true);
    expect(report([{ ...row, state: 'done' }])).to.equal(false);
    expect(report([{ ...row, installedAt: '08/12/2026' }])).to.equal(false);
  });
});
