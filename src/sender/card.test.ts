import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { cardData, loadWelcomeCard, type RolloutContext } from './card.js';

const CTX: RolloutContext = { appName: 'Contoso Helper', requestedBy: 'IT Service Desk', reason: 'everyone files expenses here from May', offer: 'File expenses and check approvals without leaving Teams.' };

interface Rendered {
  type: string;
  summary: string;
  attachments: { contentType: string; content: { type: string; lang: string; fallbackText: string; body: { text: string }[]; actions: { type: string; title: string; data: { action: string } }[] } }[];
}
const render = (person: { displayName: string | null; locale: string | null }, ctx = CTX) => loadWelcomeCard(undefined, ctx).render(person) as unknown as Rendered;
const texts = (r: Rendered) => r.attachments[0]!.content.body.map((b) => b.text).join('\n');

describe('the welcome card (templates/welcome-card.json through adaptivecards-templating)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'card-test-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return p;
  };

  describe('the default card', () => {
    it('is one message with one Adaptive Card attachment', () => {
      const r = render({ displayName: 'Grace Hopper', locale: 'fr-FR' });
      expect(r.type).to.equal('message');
      expect(r.attachments).to.have.length(1);
      expect(r.attachments[0]!.contentType).to.equal('application/vnd.microsoft.card.adaptive');
      expect(r.attachments[0]!.content.type).to.equal('AdaptiveCard');
    });

    it("renders with the person's first name and locale, and the rollout's name, sender, reason and offer", () => {
      const r = render({ displayName: 'Grace Hopper', locale: 'fr-FR' });
      const card = r.attachments[0]!.content;
      expect(card.lang).to.equal('fr-FR');
      expect(texts(r)).to.contain('Welcome to Contoso Helper, Grace!');
      expect(texts(r)).to.contain('IT Service Desk added Contoso Helper').and.contain(CTX.reason).and.contain(CTX.offer);
      expect(JSON.stringify(card)).not.to.contain('${'); // every expression was expanded
    });

    it('has opt-out text and a Stop notifications button that sends {action:"stop"} (PRODUCT.md §2 "Opt-out")', () => {
      const r = render({ displayName: 'Grace Hopper', locale: 'en-US' });
      expect(texts(r)).to.match(/reply \*\*stop\*\*/i);
      const actions = r.attachments[0]!.content.actions;
      expect(actions.find((a) => a.data.action === 'stop')).to.include({ type: 'Action.Submit', title: 'Stop notifications' });
      expect(actions.find((a) => a.data.action === 'help')).to.include({ type: 'Action.Submit' });
    });

    it('has a plain-text fallback (and summary) that names the app, the person and how to stop', () => {
      const r = render({ displayName: 'Grace Hopper', locale: 'en-US' });
      const fallback = r.attachments[0]!.content.fallbackText;
      expect(fallback).to.contain('Welcome to Contoso Helper, Grace!').and.contain('"stop"').and.contain(CTX.reason);
      expect(r.summary).to.equal(fallback);
    });

    it('reads well without a reason, a name or a locale', () => {
      const r = render({ displayName: null, locale: null }, { ...CTX, reason: '' });
      expect(r.attachments[0]!.content.lang).to.equal('en-US');
      expect(texts(r)).to.contain('Welcome to Contoso Helper, there!');
      expect(r.attachments[0]!.content.fallbackText).to.contain('added it for you.');
      expect(texts(r)).not.to.contain('undefined').and.not.to.contain('null');
    });

    it('gives each person their own name', () => {
      const card = loadWelcomeCard(undefined, CTX);
      const a = card.render({ displayName: 'Ada Lovelace', locale: 'en-GB' }) as unknown as Rendered;
      const b = card.render({ displayName: '  Alan  Turing ', locale: 'en-GB' }) as unknown as Rendered;
      expect(texts(a)).to.contain('Welcome to Contoso Helper, Ada!');
      expect(texts(b)).to.contain('Welcome to Contoso Helper, Alan!');
    });

    it('cardData: first name from the display name, defaults for the rest', () => {
      expect(cardData({ displayName: 'Ada Lovelace', locale: 'en-GB' }, CTX)).to.include({ name: 'Ada Lovelace', firstName: 'Ada', locale: 'en-GB' });
      expect(cardData({ displayName: '   ', locale: '' }, CTX)).to.include({ name: 'there', firstName: 'there', locale: 'en-US' });
    });
  });

  describe('a custom template', () => {
    it('is rendered from its file', () => {
      const card = loadWelcomeCard(file('custom.json', JSON.stringify({ type: 'AdaptiveCard', version: '1.5', fallbackText: 'Hi ${firstName}', body: [{ type: 'TextBlock', text: 'Hello ${name} (${locale})' }] })), CTX);
      const r = card.render({ displayName: 'Ada Lovelace', locale: 'en-GB' }) as unknown as Rendered;
      expect(texts(r)).to.equal('Hello Ada Lovelace (en-GB)');
      expect(r.summary).to.equal('Hi Ada');
    });

    it('without a fallbackText gets one that names the app', () => {
      const card = loadWelcomeCard(file('nofallback.json', JSON.stringify({ type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'x' }] })), CTX);
      expect((card.render({ displayName: 'A', locale: 'en-US' }) as unknown as Rendered).summary).to.equal('Welcome to Contoso Helper!');
    });
  });

  describe('a bad template fails at load (start), with the template error, not on the first person', () => {
    const bad: [string, () => string, RegExp][] = [
      ['a missing file', () => path.join(dir, 'missing.json'), /ENOENT/],
      ['malformed JSON', () => file('broken.json', '{"type": "AdaptiveCard", "body": ['), /JSON/],
      ['not an Adaptive Card', () => file('hero.json', JSON.stringify({ type: 'HeroCard', title: 'x' })), /is not an Adaptive Card/],
      ['a syntax error in an expression', () => file('syntax.json', JSON.stringify({ type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: '${if(}' }] })), /does not render: syntax error/],
      ['an unknown function', () => file('fn.json', JSON.stringify({ type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: '${shout(name)}' }] })), /does not render: Unknown function shout/],
      ['a card over the 28 KB Teams takes', () => file('huge.json', JSON.stringify({ type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'x'.repeat(30_000) }] })), /28 KB/],
    ];
    for (const [name, make, message] of bad) {
      it(name, () => {
        const p = make();
        try {
          loadWelcomeCard(p, CTX);
          expect.fail('loaded a bad template');
        } catch (e) {
          expect(e).to.be.instanceOf(UsageError);
          expect((e as Error).message).to.match(message).and.contain(p);
        }
      });
    }
  });

  describe('fields this tool does not fill in are refused at load (issue 11 major 4)', () => {
    it('the issue\'s card: each unknown field named with its binding and place, the file, and the fields there are', () => {
      const p = file('manager.json', JSON.stringify({ type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Hi ${firstName}' }, { type: 'TextBlock', text: 'your manager ${manager.name} says ${nonexistentField}' }] }));
      try {
        loadWelcomeCard(p, CTX);
        expect.fail('loaded a card with unknown fields');
      } catch (e) {
        expect(e).to.be.instanceOf(UsageError);
        const m = (e as Error).message;
        expect(m).to.contain(p).and.contain('manager.name — ${manager.name} at body[1].text').and.contain('nonexistentField — ${nonexistentField} at body[1].text');
        expect(m).to.contain("The card's template fields are: name, firstName, locale, appName, requestedBy, reason, offer");
        expect(m).not.to.contain('firstName —');
      }
    });

    it('an unknown field only inside a $when or a function is refused too', () => {
      const p = file('when.json', JSON.stringify({ type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: "${if(empty(department), 'x', 'y')}" }, { type: 'TextBlock', text: 'VIP', $when: '${isVip}' }] }));
      expect(() => loadWelcomeCard(p, CTX)).to.throw(UsageError, /department — .* at body\[0\]\.text[\s\S]*isVip — \$\{isVip\} at body\[1\]\.\$when/);
    });

    it('a field shown as is while the rollout leaves it empty (ROLLOUT_REASON unset) is refused at load', () => {
      const p = file('reason.json', JSON.stringify({ type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Because ${reason}' }] }));
      expect(() => loadWelcomeCard(p, { ...CTX, reason: '' })).to.throw(UsageError, /does not render completely[\s\S]*reason is empty \(body\[0\]\.text\)[\s\S]*ROLLOUT_REASON/);
      expect(loadWelcomeCard(p, CTX).compose({ displayName: 'Ada', locale: 'en-GB' })).to.deep.include({ ok: true });
    });
  });

  describe('compose: one person\'s card is checked before it can go', () => {
    it('whole for one person, a hole for another (data missing for one person only)', () => {
      const card = loadWelcomeCard(file('short.json', JSON.stringify({ type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Hello ${substring(name, 0, 8)}' }] })), CTX);
      const whole = card.compose({ displayName: 'Grace Hopper', locale: 'en-US' });
      expect(whole.ok).to.equal(true);
      expect(JSON.stringify(whole)).to.contain('Hello Grace Ho');
      expect(card.compose({ displayName: 'Wei Xu', locale: 'en-US' })).to.deep.equal({ ok: false, problems: ['${substring(name, 0, 8)} was not filled in'] });
    });

    it('a whole-string binding that fails on one person is a refusal for them, not an exception', () => {
      const card = loadWelcomeCard(file('whole.json', JSON.stringify({ type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: '${substring(name, 0, 8)}' }] })), CTX);
      const r = card.compose({ displayName: 'Wei Xu', locale: 'en-US' });
      expect(r.ok).to.equal(false);
      expect(JSON.stringify(r)).to.contain("this person's data");
    });
  });
});
