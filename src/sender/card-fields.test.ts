import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { CARD_FIELD_NAMES, fieldUses, incompleteParts, leftoverBindings, unknownFields } from './card-fields.js';
import { DEFAULT_CARD_PATH } from './card.js';

const card = (...body: unknown[]) => ({ type: 'AdaptiveCard', body });
const text = (t: string, extra: Record<string, unknown> = {}) => ({ type: 'TextBlock', text: t, ...extra });
const summary = (template: unknown) => fieldUses(template).map((u) => `${u.field}${u.known ? '' : '?'}${u.shown ? '!' : ''}@${u.at}`);

describe('card template fields: which data paths a template reads (adaptivecards-templating parser)', () => {
  // field? = not a field this tool fills in; field! = shown as is (an empty value would leave a hole)
  const table: [string, unknown, string[]][] = [
    ['no binding at all', card(text('Hello')), []],
    ['a known field, shown', card(text('Hi ${firstName}!')), ['firstName!@body[0].text']],
    ['a whole-string binding', card(text('${offer}')), ['offer!@body[0].text']],
    ['a nested path the data lacks (the issue: manager.name)', card(text('your manager ${manager.name} says ${nonexistentField}')), ['manager.name?!@body[0].text', 'nonexistentField?!@body[0].text']],
    ['a sub-path of a text field', card(text('${name.length}')), ['name.length?!@body[0].text']],
    ['an index into a field (not a bare path)', card(text('${items[0]}')), ['items[0]?@body[0].text']],
    ['inside a function: read, not shown', card(text("${if(empty(reason), '.', concat(': ', reason, '.'))}")), ['reason@body[0].text']],
    ['an unknown field inside a function', card(text("${if(empty(manager), 'x', 'y')}")), ['manager?@body[0].text']],
    ['a function over two fields', card(text('${concat(firstName, appName)}')), ['firstName@body[0].text', 'appName@body[0].text']],
    ['$root.field is the root field', card(text('${$root.name} ${$root.boss}')), ['name!@body[0].text', 'boss?!@body[0].text']],
    ['$data.field at the root is the root field', card(text('${$data.locale}')), ['locale!@body[0].text']],
    ['$host is the host app data, which this tool has none of', card(text('${$host.theme}')), ['$host.theme?@body[0].text']],
    ['the template version and $index are the library own', card(text('${$_acTemplateVersion.major} ${$index}')), []],
    ['$when: read, never shown', card(text('x', { $when: '${empty(reason)}' }), text('y', { $when: '${vip}' })), ['reason@body[0].$when', 'vip?@body[1].$when']],
    ['a top-level property (lang, fallbackText)', { type: 'AdaptiveCard', lang: '${locale}', fallbackText: 'Hi ${name}', body: [] }, ['locale!@lang', 'name!@fallbackText']],
    ['inline $data: its own keys are known, ours still read through $root', card({ type: 'Container', $data: [{ title: 'a' }, { title: 'b' }], items: [text('${title} ${$root.appName} ${author}')] }), ['title@body[0].items[0].text', 'appName!@body[0].items[0].text', 'author?@body[0].items[0].text']],
    ['$data bound to a field: the binding is read, what is below it does not exist', card({ type: 'Container', $data: '${people}', items: [text('${title}')] }), ['people?@body[0].$data', 'people.title?@body[0].items[0].text']],
    ['$data bound to $root reads the root', card({ type: 'Container', $data: '${$root}', items: [text('${name}')] }), ['name!@body[0].items[0].text']],
    ['a lambda: the iteration variable is not a field', card(text('${join(foreach(people, p, p.name), ", ")}')), ['people?@body[0].text']],
    ['an action title and data', { type: 'AdaptiveCard', body: [], actions: [{ type: 'Action.Submit', title: 'Open ${appName}', data: { who: '${upn}' } }] }, ['appName!@actions[0].title', 'upn?!@actions[0].data.who']],
  ];
  for (const [name, template, expected] of table) {
    it(name, () => expect(summary(template)).to.deep.equal(expected));
  }

  it('the default card reads only known fields', () => {
    const uses = fieldUses(JSON.parse(readFileSync(DEFAULT_CARD_PATH, 'utf8')));
    expect(unknownFields(uses)).to.deep.equal([]);
    expect(new Set(uses.map((u) => u.field))).to.deep.equal(new Set([...CARD_FIELD_NAMES].filter((f) => f !== 'name')));
  });

  it('keeps the binding as written and where it is, for the message', () => {
    const [u] = unknownFields(fieldUses(card(text('a'), text('your manager ${manager.name} says hi'))));
    expect(u).to.include({ field: 'manager.name', binding: '${manager.name}', at: 'body[1].text', known: false });
  });
});

describe('card template fields: what stops one rendered card from going out', () => {
  const data = { name: 'Ada Lovelace', firstName: 'Ada', locale: 'en-GB', appName: 'Helper', requestedBy: 'IT', reason: '', offer: 'x' };
  const rows: [string, unknown, unknown, string[]][] = [
    ['a whole card', card(text('Hi ${firstName}')), card(text('Hi Ada')), []],
    ['a binding left by a missing field', card(text('Hi ${manager.name}')), card(text('Hi ${manager.name}')), ['${manager.name} was not filled in']],
    ['a failed expression left in a longer string', card(text('Hi ${substring(name, 0, 40)}')), card(text('Hi ${substring(name, 0, 40)}')), ['${substring(name, 0, 40)} was not filled in']],
    ['a binding left in an action', card(), { ...card(), actions: [{ title: '${x}' }] }, ['${x} was not filled in']],
    ['a shown field that is empty', card(text('Because ${reason}')), card(text('Because ')), ['reason is empty (body[0].text)']],
    ['an empty field read through a function is the template handling it', card(text("${if(empty(reason), '', reason)}")), card(text('')), []],
  ];
  for (const [name, template, rendered, expected] of rows) {
    it(name, () => expect(incompleteParts(rendered, fieldUses(template), data)).to.deep.equal(expected));
  }

  it('leftoverBindings finds each ${…} once, even cut off', () => {
    expect(leftoverBindings({ a: ['x ${a} y ${a}', { b: 'z ${b' }] })).to.deep.equal(['${a}', '${b']);
  });
});
