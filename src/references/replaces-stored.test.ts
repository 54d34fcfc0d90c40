import { expect } from 'chai';
import type { ConversationReferenceRow } from '../store/types.js';
import { replacesStored } from './replaces-stored.js';

const ref = (over: Partial<ConversationReferenceRow>): ConversationReferenceRow => ({
  tenantId: 't',
  aadObjectId: 'u',
  conversationId: 'a:1dead',
  serviceUrl: 'https://smba.trafficmanager.net/amer/t/',
  userId: '29:1u',
  botId: '28:bot',
  source: 'installationUpdate',
  capturedAt: 1000,
  ...over,
});

describe('replacesStored: which reference an install event leaves in the ledger', () => {
  const created = ref({ conversationId: 'a:1new', source: 'created', capturedAt: 5000 });
  const cases: [string, ConversationReferenceRow | undefined, ConversationReferenceRow, number | undefined, boolean][] = [
    ['nothing stored → stored', undefined, ref({}), 900, true],
    ['the same reference again (a duplicate) → nothing written', ref({}), ref({ capturedAt: 2000 }), 1900, false],
    ['the same chat, a new serviceUrl → replaced', ref({}), ref({ serviceUrl: 'https://smba.trafficmanager.net/emea/t/' }), 1900, true],
    ['another chat over an event reference → replaced', ref({}), ref({ conversationId: 'a:1other' }), 1900, true],
    ['a late event, sent before the create, naming the dead chat → the created one stays', created, ref({ capturedAt: 6000 }), 4000, false],
    ['an event sent after the create (a reinstall) → replaced', created, ref({ conversationId: 'a:1reinstalled', capturedAt: 9000 }), 8000, true],
    ['an event with no timestamp → replaced, as before', created, ref({ capturedAt: 6000 }), undefined, true],
    ['the created chat announced again with a new serviceUrl → replaced', created, ref({ conversationId: 'a:1new', serviceUrl: 'https://x/' }), 4000, true],
  ];
  for (const [name, old, incoming, sentAt, want] of cases) it(name, () => expect(replacesStored(old, incoming, sentAt)).to.equal(want));
});
