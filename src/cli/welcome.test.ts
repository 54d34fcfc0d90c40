import { expect } from 'chai';
import { UsageError } from '../errors.js';
import { welcomeMode, type WelcomeCliOptions } from './welcome.js';

type Flags = Pick<WelcomeCliOptions, 'team' | 'preview' | 'person' | 'testTo'>;

describe('welcome: which job the flags ask for (exactly one of --team, --preview, --test-to)', () => {
  const ok: [string, Flags, string][] = [
    ['--team', { team: '19:x@thread.tacv2' }, 'team'],
    ['--preview', { preview: true }, 'preview'],
    ['--preview --person', { preview: true, person: 'ada@contoso.com' }, 'preview'],
    ['--test-to', { testTo: 'ada@contoso.com' }, 'test-to'],
  ];
  for (const [name, flags, mode] of ok) it(`${name} → ${mode}`, () => expect(welcomeMode(flags)).to.equal(mode));

  const refused: [string, Flags, RegExp][] = [
    ['nothing', {}, /needs one of: --team ID .* --preview .* --test-to UPN/],
    ['--team and --preview', { team: '19:x@thread.tacv2', preview: true }, /--team and --preview are separate jobs/],
    ['--preview and --test-to', { preview: true, testTo: 'a@b.c' }, /--preview and --test-to are separate jobs/],
    ['--person without --preview', { testTo: 'a@b.c', person: 'a@b.c' }, /--person goes with --preview/],
    ['an empty --test-to', { testTo: '' }, /Give a UPN/],
  ];
  for (const [name, flags, message] of refused) {
    it(`${name}: a usage error (exit 2)`, () => {
      expect(() => welcomeMode(flags)).to.throw(UsageError, message);
    });
  }
});
