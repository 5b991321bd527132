import { KeyObject, createHmac, createSecretKey } from 'node:crypto';

const BASE32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** The secret as a key object, made once a secret (createHmac with a string prepares a key on every call). */
let lastSecret: string | null = null;
let lastKey: KeyObject | null = null;
function keyOf(secret: string): KeyObject {
  if (secret !== lastSecret || lastKey === null) {
    lastKey = createSecretKey(Buffer.from(secret, 'utf8'));
    lastSecret = secret;
  }
  return lastKey;
}

/** Keyed hash of a checked NIR (SPEC §2): the only form of the identity ever stored. */
export function hashNir(nir: string, secret: string): string {
  return createHmac('sha256', keyOf(secret)).update(`nir:${nir}`).digest('hex');
}

/**
 * A stable pseudonym derived from the NIR hash: `P-` and 10 characters from an alphabet without
 * look-alikes (50 bits). The same person gets the same pseudonym in every establishment.
 * The characters are the low 50 bits of the digest's first 8 bytes (big-endian), 5 bits at a
 * time from the lowest, read as two 32-bit halves.
 */
export function pseudonymOf(nirHash: string, secret: string): string {
  const digest = createHmac('sha256', keyOf(secret)).update(`pseudonym:${nirHash}`).digest();
  let high = digest.readUInt32BE(0);
  let low = digest.readUInt32BE(4);
  let out = 'P-';
  for (let i = 0; i < 10; i++) {
    out += BASE32[low & 31];
    low = ((low >>> 5) | ((high & 31) << 27)) >>> 0;
    high >>>= 5;
  }
  return out;
}

export const PSEUDONYM_PATTERN = /^P-[A-Z2-9]{10}$/;
