import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const ajv = new Ajv2020({ allErrors: true, strict: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const compiled = new Map<string, ValidateFunction>();

/** Validates one output against its checked-in file, schemas/<name>.schema.json (what scripts reading our JSON get). */
export function schemaErrors(name: string, value: unknown): string | null {
  let validate = compiled.get(name);
  if (!validate) compiled.set(name, (validate = ajv.compile(JSON.parse(readFileSync(`schemas/${name}.schema.json`, 'utf8')))));
  return validate(value) ? null : ajv.errorsText(validate.errors, { dataVar: name });
}
