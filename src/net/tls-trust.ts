import { connect } from 'node:tls';

/**
 * OpenSSL's verification codes (as Node reports them on `error.code`) that mean "this certificate is
 * not trusted here", as opposed to a host that is down (Node docs, tls "X509 certificate error codes").
 */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The fix for an untrusted certificate, the same wherever it is said. */
export function untrustedCertificateMessage(host: string, code: string, reason: string): string {
  const fix =
    code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID'
      ? 'check the clock of this machine, or ask the owner of that host to renew its certificate'
      : code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? 'use the host name the certificate was issued for'
        : 'save the CA certificate that signed it (your TLS-inspecting proxy\'s, or the simulated tenant\'s) as a PEM file and start with NODE_EXTRA_CA_CERTS=<that file> (Node reads it only at start)';
  return `the TLS certificate of ${host} is not trusted (${code}: ${reason}) — ${fix}`;
}

/**
 * Finds out whether `url`'s server presents a certificate this process does not trust. MSAL hides
 * the TLS error of its OpenID discovery behind `endpoints_resolution_error` (seen against the
 * simulated tenant with NODE_EXTRA_CA_CERTS unset), which read as a wrong client secret (issue 11);
 * one TLS handshake tells the two apart. Resolves with the explanation, or undefined when the
 * handshake succeeds or fails for another reason (then the original error stands).
 *
 * The handshake goes straight to the host: behind a CONNECT proxy that may not be reachable, and the
 * answer is then undefined, never a wrong diagnosis.
 */
export function untrustedCertificate(url: string, timeoutMs = 3000): Promise<string | undefined> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return Promise.resolve(undefined);
  }
  if (u.protocol !== 'https:') return Promise.resolve(undefined);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || 443);
  return new Promise((resolve) => {
    const socket = connect({ host, port, servername: /^[\d.:]+$/.test(host) ? undefined : host, timeout: timeoutMs });
    const done = (v: string | undefined) => {
      socket.destroy();
      resolve(v);
    };
    socket.once('secureConnect', () => done(undefined));
    socket.once('timeout', () => done(undefined));
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code && UNTRUSTED.has(e.code) ? untrustedCertificateMessage(u.host, e.code, e.message) : undefined));
  });
}
