import { expect } from 'chai';
import { CommanderError } from 'commander';
import { ConfigError, FatalRunError, RolloutError, UsageError } from '../errors.js';
import { commandOf, errorObject, wantsJson } from './render-error.js';

describe('errorObject (errors for --output json)', () => {
  const table: [string, unknown, { code: string; exitCode: number; fix: RegExp | null }][] = [
    ['a usage error points at the command help', new UsageError('--limit: "x" is not a whole number'), { code: 'USAGE', exitCode: 2, fix: /teams-rollout install --help/ }],
    ['a configuration error points at doctor', new ConfigError(['TEAMS_APP_ID is missing']), { code: 'CONFIG', exitCode: 2, fix: /doctor/ }],
    ['an error that knows its fix gives it', new FatalRunError('NO_DELTA_LINK', 'no delta link'), { code: 'NO_DELTA_LINK', exitCode: 2, fix: null }],
    ['a fix given with the error is kept', new RolloutError('X', 'broken', { exitCode: 2, fix: 'do this' }), { code: 'X', exitCode: 2, fix: /^do this$/ }],
    ["commander's own usage errors are usage errors", new CommanderError(1, 'commander.unknownOption', "error: unknown option '--bogus'"), { code: 'USAGE', exitCode: 2, fix: /--help/ }],
    ['anything else is unexpected, exit 1', new Error('boom'), { code: 'UNEXPECTED', exitCode: 1, fix: null }],
  ];
  for (const [what, e, want] of table) {
    it(what, () => {
      const { error } = errorObject(e, 'install');
      expect(error).to.include({ code: want.code, exitCode: want.exitCode });
      if (want.fix) expect(error.fix).to.match(want.fix);
      else expect(error.fix).to.equal(null);
      expect(error.message).to.be.a('string').and.not.match(/^error: /);
    });
  }
});

describe('wantsJson and commandOf (read from the raw command line)', () => {
  const argv = (...a: string[]) => ['node', 'main.js', ...a];
  const table: [string[], boolean][] = [
    [argv('install', '--output', 'json'), true],
    [argv('install', '--output=json'), true],
    [argv('report', '--format', 'json'), true],
    [argv('install', '--output', 'text'), false],
    [argv('install', '--users', 'json'), false],
    [argv('status'), false],
  ];
  for (const [a, want] of table) it(`${a.slice(2).join(' ')} → ${want}`, () => expect(wantsJson(a)).to.equal(want));
  it('the command is the first word that is not an option', () => {
    expect(commandOf(argv('--verbose', 'status', '--watch'))).to.equal('status');
    expect(commandOf(argv('--verbose'))).to.equal('');
  });
});
