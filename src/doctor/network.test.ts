import { expect } from 'chai';
import { parseConfig } from '../config.js';
import { networkCheck } from './network.js';

const LOGIN = 'https://login.microsoftonline.com/botframework.com';

describe("doctor's proxy line", () => {
  const rows: [string, Record<string, string>, RegExp[]][] = [
    ['no proxy', {}, [/^none: HTTPS_PROXY and HTTP_PROXY are unset/, /NO_PROXY unset/]],
    [
      'HTTPS_PROXY for every call',
      { HTTPS_PROXY: 'http://proxy.contoso.com:8080' },
      [/^http:\/\/proxy\.contoso\.com:8080 \(NO_PROXY unset\)/, /Entra token https:\/\/login\.microsoftonline\.com → via http:\/\/proxy\.contoso\.com:8080/, /Graph https:\/\/graph\.microsoft\.com\/ → via/, /bot token https:\/\/login\.microsoftonline\.com\/botframework\.com → via/, /Bot Connector https:\/\/smba\.trafficmanager\.net\/teams\/ → via/],
    ],
    [
      'NO_PROXY sends some around it',
      { HTTPS_PROXY: 'http://proxy:8080', NO_PROXY: '.trafficmanager.net,login.microsoftonline.com' },
      [/NO_PROXY=\.trafficmanager\.net,login\.microsoftonline\.com/, /Entra token \S+ → direct \(NO_PROXY\)/, /Graph \S+ → via http:\/\/proxy:8080/, /Bot Connector \S+ → direct \(NO_PROXY\)/],
    ],
    ['a password is not printed', { HTTPS_PROXY: 'http://me:hunter2@proxy:8080' }, [/me:\*\*\*@proxy:8080/]],
  ];
  for (const [what, env, want] of rows) {
    it(what, () => {
      const check = networkCheck(parseConfig(env).config, LOGIN);
      expect(check.name).to.equal('proxy');
      expect(check.ok).to.equal(true);
      for (const re of want) expect(check.detail).to.match(new RegExp(re.source, 'm'));
      expect(check.detail).not.to.contain('hunter2');
    });
  }
});
