import { generateKeyPair, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { SigningKey } from './context.js';

const generate = promisify(generateKeyPair);

/**
 * jwt.ts makeSigningKey off the main thread: RSA key generation takes 100–300 ms, and the tenant makes
 * two while it builds its population, so `simulate` is ready sooner.
 */
export async function makeSigningKeyAsync(kid: string = randomUUID()): Promise<SigningKey> {
  const { privateKey, publicKey } = await generate('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}
