import { createHmac } from 'node:crypto';

const BASE32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Keyed hash of a checked NIR (SPEC §2): the only form of the identity ever stored. */
export function hashNir(nir: string, secret: string): string {
  return createHmac('sha256', secret).update(`nir:${nir}`).digest('hex');
}

/**
 * A stable pseudonym derived from the NIR hash: `P-` and 10 characters from an alphabet without
 * look-alikes (50 bits). The same person gets the same pseudonym in every establishment.
 */
export function pseudonymOf(nirHash: string, secret: string): string {
  const digest = createHmac('sha256', secret).update(`pseudonym:${nirHash}`).digest();
  let bits = 0n;
  for (let i = 0; i < 8; i++) bits = (bits << 8n) | BigInt(digest[i] ?? 0);
  let out = '';
  for (let i = 0; i < 10; i++) {
    out += BASE32[Number(bits & 31n)];
    bits >>= 5n;
  }
  return `P-${out}`;
}

export const PSEUDONYM_PATTERN = /^P-[A-Z2-9]{10}$/;
