import { KeyObject, createHash, createPrivateKey } from 'node:crypto';

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The demo audit signing key (demo mode only): derived from a fixed phrase, so every demo signs alike. */
export const DEMO_AUDIT_SIGNING_KEY = ed25519FromSeed(createHash('sha256').update('contingent-demo-audit-signing-key-not-for-production').digest())
  .export({ format: 'pem', type: 'pkcs8' })
  .toString();

function ed25519FromSeed(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/**
 * Reads AUDIT_SIGNING_KEY: an Ed25519 private key as PKCS#8 PEM (`openssl genpkey -algorithm ed25519`)
 * or its 32-byte seed in base64. Returns the key as PKCS#8 PEM, or the reason it is not usable.
 */
export function parseAuditSigningKey(text: string): { ok: true; pem: string } | { ok: false; reason: string } {
  const trimmed = text.trim().replace(/\\n/g, '\n');
  let key: KeyObject;
  try {
    if (trimmed.startsWith('-----BEGIN')) key = createPrivateKey(trimmed);
    else {
      const seed = Buffer.from(trimmed, 'base64');
      if (seed.length !== 32 || seed.toString('base64').replace(/=+$/, '') !== trimmed.replace(/=+$/, '')) {
        return { ok: false, reason: 'must be an Ed25519 private key: PKCS#8 PEM, or its 32-byte seed in base64' };
      }
      key = ed25519FromSeed(seed);
    }
  } catch {
    return { ok: false, reason: 'must be an Ed25519 private key: PKCS#8 PEM, or its 32-byte seed in base64' };
  }
  if (key.asymmetricKeyType !== 'ed25519') return { ok: false, reason: `must be an Ed25519 key (got a ${key.asymmetricKeyType ?? 'symmetric'} key)` };
  return { ok: true, pem: key.export({ format: 'pem', type: 'pkcs8' }).toString() };
}
