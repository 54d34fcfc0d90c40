import { expect } from 'chai';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import { rememberServiceUrl, tenantServiceUrl } from './tenant-service-url.js';

async function countedStore(): Promise<{ store: Store; calls: string[] }> {
  const store = await openStore(':memory:');
  const calls: string[] = [];
  const get = store.getSetting.bind(store);
  const set = store.setSetting.bind(store);
  store.getSetting = async (k) => (calls.push('get'), get(k));
  store.setSetting = async (k, v) => (calls.push('set'), set(k, v));
  return { store, calls };
}

describe("the tenant's serviceUrl, remembered from each activity", () => {
  it('is written once, then the same serviceUrl costs no store call; a new one is written', async () => {
    const { store, calls } = await countedStore();
    for (let i = 0; i < 5; i++) await rememberServiceUrl(store, 't1', 'https://smba.trafficmanager.net/amer/t1/');
    expect(calls).to.deep.equal(['get', 'set']);
    await rememberServiceUrl(store, 't1', 'https://smba.trafficmanager.net/emea/t1/');
    expect(calls).to.deep.equal(['get', 'set', 'get', 'set']);
    expect(await tenantServiceUrl(store, 't1', 'fallback')).to.equal('https://smba.trafficmanager.net/emea/t1/');
  });

  it('a serviceUrl already stored (by another process) is read, not written again', async () => {
    const { store, calls } = await countedStore();
    await store.setSetting('serviceUrl:t2', 'https://smba.trafficmanager.net/apac/');
    calls.length = 0;
    await rememberServiceUrl(store, 't2', 'https://smba.trafficmanager.net/apac/');
    await rememberServiceUrl(store, 't2', 'https://smba.trafficmanager.net/apac/');
    expect(calls).to.deep.equal(['get']);
    expect(await tenantServiceUrl(store, 'nobody', 'https://smba.trafficmanager.net/teams/')).to.equal('https://smba.trafficmanager.net/teams/');
  });
});
