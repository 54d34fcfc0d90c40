import { expect } from 'chai';
import { bypassesProxy, proxyFor, proxySettingsFrom, proxyUrlProblem, redactProxy } from './proxy.js';

const P = 'http://proxy.contoso.com:8080';

describe('proxy settings from the environment', () => {
  const rows: [string, Record<string, string>, { https: string | undefined; http: string | undefined; noProxy: string }][] = [
    ['nothing set', {}, { https: undefined, http: undefined, noProxy: '' }],
    ['HTTPS_PROXY alone serves both schemes (as the Azure SDK does)', { HTTPS_PROXY: P }, { https: P, http: P, noProxy: '' }],
    ['HTTP_PROXY alone serves both schemes', { HTTP_PROXY: P }, { https: P, http: P, noProxy: '' }],
    ['each scheme its own', { HTTPS_PROXY: P, HTTP_PROXY: 'http://other:3128' }, { https: P, http: 'http://other:3128', noProxy: '' }],
    ['ALL_PROXY when neither is set', { ALL_PROXY: P }, { https: P, http: P, noProxy: '' }],
    ['lower case spellings', { https_proxy: P, no_proxy: 'localhost' }, { https: P, http: P, noProxy: 'localhost' }],
    ['upper case wins over lower case', { HTTPS_PROXY: P, https_proxy: 'http://lower:1' }, { https: P, http: P, noProxy: '' }],
    ['an empty value is unset', { HTTPS_PROXY: '', https_proxy: P }, { https: P, http: P, noProxy: '' }],
  ];
  for (const [what, env, want] of rows) it(what, () => expect(proxySettingsFrom(env)).to.deep.equal(want));
});

describe('proxyFor: which proxy a call goes through', () => {
  const rows: [string, string, Record<string, string>, string | undefined][] = [
    ['no proxy configured', 'https://graph.microsoft.com/v1.0/users', {}, undefined],
    ['https call, HTTPS_PROXY', 'https://graph.microsoft.com/v1.0/users', { HTTPS_PROXY: P }, P],
    ['http call, HTTP_PROXY', 'http://127.0.0.1:3979/amer/', { HTTPS_PROXY: 'http://s:1', HTTP_PROXY: P }, P],
    ['NO_PROXY names the host', 'https://login.microsoftonline.com/t', { HTTPS_PROXY: P, NO_PROXY: 'login.microsoftonline.com' }, undefined],
    ['NO_PROXY host is exact: a sub-domain still goes through', 'https://a.graph.microsoft.com/', { HTTPS_PROXY: P, NO_PROXY: 'graph.microsoft.com' }, P],
    ['.domain covers sub-domains', 'https://smba.trafficmanager.net/teams/', { HTTPS_PROXY: P, NO_PROXY: '.trafficmanager.net' }, undefined],
    ['*.domain covers sub-domains', 'https://smba.trafficmanager.net/teams/', { HTTPS_PROXY: P, NO_PROXY: '*.trafficmanager.net' }, undefined],
    ['* covers everything', 'https://graph.microsoft.com/', { HTTPS_PROXY: P, NO_PROXY: '*' }, undefined],
    ['host:port matches that port only', 'https://127.0.0.1:9443/t', { HTTPS_PROXY: P, NO_PROXY: '127.0.0.1:9443' }, undefined],
    ['host:port, another port', 'https://127.0.0.1:9444/t', { HTTPS_PROXY: P, NO_PROXY: '127.0.0.1:9443' }, P],
    ['the default port counts', 'https://graph.microsoft.com/', { HTTPS_PROXY: P, NO_PROXY: 'graph.microsoft.com:443' }, undefined],
    ['a list, comma and space separated, any case', 'https://Graph.Microsoft.com/', { HTTPS_PROXY: P, NO_PROXY: 'localhost, 127.0.0.1 GRAPH.microsoft.com' }, undefined],
    ['loopback listed as the azd docs show it', 'http://127.0.0.1:3978/api/messages', { HTTP_PROXY: P, NO_PROXY: 'localhost,127.0.0.1' }, undefined],
    ['an IPv6 host keeps its brackets', 'https://[::1]:9443/', { HTTPS_PROXY: P, NO_PROXY: '[::1]' }, undefined],
  ];
  for (const [what, url, env, want] of rows) it(what, () => expect(proxyFor(url, proxySettingsFrom(env))).to.equal(want));

  it('an empty NO_PROXY bypasses nothing', () => expect(bypassesProxy(new URL('https://127.0.0.1/'), '')).to.equal(false));
});

describe('proxyUrlProblem', () => {
  const rows: [string, string | undefined][] = [
    ['http://proxy.contoso.com:8080', undefined],
    ['https://proxy.contoso.com', undefined],
    ['http://user:p%40ss@10.0.0.1:3128', undefined],
    ['proxy.contoso.com:8080', 'uses proxy.contoso.com://, not http:// or https://'],
    ['socks5://127.0.0.1:1080', 'uses socks5://, not http:// or https://'],
    ['not a url', 'is not a URL'],
  ];
  for (const [value, want] of rows) it(`${value} → ${want ?? 'fine'}`, () => expect(proxyUrlProblem(value)).to.equal(want));
});

describe('redactProxy', () => {
  it('hides the password, keeps the user', () => expect(redactProxy('http://me:secret@proxy:8080')).to.equal('http://me:***@proxy:8080'));
  it('leaves a proxy without credentials as it is', () => expect(redactProxy(P)).to.equal(P));
});
