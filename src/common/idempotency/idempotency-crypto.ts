import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json';

/** A stored answer: AES-256-GCM, so a problem or body that repeats an identifier is unreadable at rest. */
export interface SealedAnswer {
  v: 1;
  iv: string;
  tag: string;
  data: string;
}

/** Keys derived from the server secret, one per use. */
export class IdempotencyCrypto {
  private readonly fingerprintKey: Buffer;
  private readonly answerKey: Buffer;

  constructor(secret: string) {
    this.fingerprintKey = createHmac('sha256', secret).update('contingent/idempotency/fingerprint/v1').digest();
    this.answerKey = createHmac('sha256', secret).update('contingent/idempotency/answer/v1').digest();
  }

  /**
   * The request's fingerprint: HMAC-SHA-256 of route and canonical body under a server key, so a
   * stored fingerprint cannot be brute-forced back to the NIR of a POST /patients (issue 12.3).
   */
  fingerprint(route: string, body: unknown): string {
    return createHmac('sha256', this.fingerprintKey).update(route).update('\n').update(canonicalJson(body ?? null)).digest('hex');
  }

  seal(answer: unknown): SealedAnswer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.answerKey, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(answer ?? null), 'utf8'), cipher.final()]);
    return { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  }

  open(sealed: unknown): unknown {
    const s = sealed as Partial<SealedAnswer> | null;
    if (!s || s.v !== 1 || !s.iv || !s.tag || !s.data) return sealed; // a row written before answers were sealed
    const decipher = createDecipheriv('aes-256-gcm', this.answerKey, Buffer.from(s.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(s.tag, 'base64'));
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(s.data, 'base64')), decipher.final()]).toString('utf8')) as unknown;
  }
}
