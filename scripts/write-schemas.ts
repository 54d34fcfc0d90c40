/**
 * Writes schemas/<output>.schema.json from src/cli/output-schemas.ts (`npm run schemas`). The files are
 * checked in for the scripts that read our JSON; a test fails when they differ from what this writes.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { jsonSchemaText, OUTPUT_SCHEMAS } from '../src/cli/output-schemas.js';

const dir = path.resolve('schemas');
const names = Object.keys(OUTPUT_SCHEMAS) as (keyof typeof OUTPUT_SCHEMAS)[];
for (const f of readdirSync(dir)) if (f.endsWith('.schema.json') && !names.includes(f.replace(/\.schema\.json$/, '') as never)) rmSync(path.join(dir, f));
for (const name of names) writeFileSync(path.join(dir, `${name}.schema.json`), jsonSchemaText(name));
process.stdout.write(`wrote ${names.length} schemas to ${dir}\n`);
