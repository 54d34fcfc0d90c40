import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, jwtVerify, decodeProtectedHeader, type JWK, type JWTPayload } from 'jose';
import type { SigningKey } from './context.js';

/** A fresh RSA-2048 key for RS256 (botbuilder accepts RS256/384/512, wire-facts B4). */
export function makeSigningKey(kid: string = randomUUID()): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

/** The key as a JWK for a JWKS document; `extra` adds e.g. `endorsements` (Bot Framework keys carry them). */
export async function publicJwk(key: SigningKey, extra: Record<string, unknown> = {}): Promise<JWK & Record<string, unknown>> {
  // createPublicKey() derives the public half from the private key; given a public KeyObject, Node 20 throws.
  const jwk = await exportJWK(createPublicKey(key.privateKey));
  return { ...jwk, kid: key.kid, use: 'sig', alg: 'RS256', ...extra };
}

export async function signJwt(key: SigningKey, claims: JWTPayload, lifetimeSeconds: number, nowMs: number): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .setIssuedAt(iat)
    .setNotBefore(iat - 5)
    .setExpirationTime(iat + lifetimeSeconds)
    .sign(key.privateKey);
}

export type Verified = { ok: true; claims: JWTPayload } | { ok: false; message: string };

/**
 * Checks an `Authorization: Bearer <jwt>` header against one of our keys: signature, lifetime,
 * audience and (optionally) issuer. The message says why, as the real services' 401 bodies do.
 */
export async function verifyBearer(
  authorization: string | undefined,
  key: SigningKey,
  expected: { audience: string | string[]; issuer?: string | string[] },
  nowMs: number,
): Promise<Verified> {
  const m = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authorization ?? '');
  if (!m) return { ok: false, message: 'Access token is empty or not a bearer token.' };
  try {
    const header = decodeProtectedHeader(m[1]!);
    if (header.kid !== key.kid) return { ok: false, message: 'Access token signature is invalid (unknown key).' };
    const { payload } = await jwtVerify(m[1]!, key.publicKey, {
      audience: expected.audience,
      issuer: expected.issuer,
      currentDate: new Date(nowMs),
      clockTolerance: 300,
    });
    return { ok: true, claims: payload };
  } catch (e) {
    return { ok: false, message: `Access token validation failure: ${(e as Error).message}` };
  }
}
