import type { Check } from '../doctor/run-checks.js';
import { ledgerLine } from './render.js';
import type { Output } from './output-schemas.js';

const MARK = { true: '✔', false: '✘', warn: '!', skipped: '–' } as const;

/** @param ledger the ledger install, serve, status and report would use with this configuration. */
export function renderDoctor(checks: Check[], format: 'text' | 'json', ledger?: string): string {
  if (format === 'json') return JSON.stringify({ ok: !checks.some((c) => c.ok === false), checks, ...(ledger ? { ledger } : {}) } satisfies Output<'doctor'>);
  const lines = checks.map((c) => {
    const detail = c.detail.split('\n').join('\n    ');
    return `${MARK[String(c.ok) as keyof typeof MARK]} ${c.name}: ${detail}${c.fix ? `\n    fix: ${c.fix}` : ''}`;
  });
  const failed = checks.filter((c) => c.ok === false).length;
  const warned = checks.filter((c) => c.ok === 'warn').length;
  if (ledger) lines.push(ledgerLine(ledger));
  const pilot = 'try a pilot with `teams-rollout install --all-users --limit 20`.';
  lines.push(failed ? `${failed} check${failed > 1 ? 's' : ''} failed.` : warned ? `No check failed; read the ${warned} warning${warned > 1 ? 's' : ''} (!) above, then ${pilot}` : `All checks passed: ${pilot}`);
  return lines.join('\n');
}
