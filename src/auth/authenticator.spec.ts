import { JwtService } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import type { Repository } from 'typeorm';
import type { AuditTrail } from '../common/contracts/audit-trail';
import type { UnitOfWork } from '../common/database/unit-of-work';
import { Authenticator, TOKEN_LIFETIME_SECONDS } from './authenticator';
import type { UserEntity } from './entities/user.entity';

const USER = { id: 'u-1', username: 'prescriber-1', role: 'prescriber', establishment: '759900012', specialty: null, tokenVersion: 0 } as const;
const CLAIMS = { sub: USER.id, username: USER.username, role: USER.role, establishment: USER.establishment, specialty: null, ver: 0 };
const START = Date.parse('2026-12-03T08:00:00Z');

function setUp(): { auth: Authenticator; jwt: JwtService; verifications: () => number } {
  const jwt = new JwtService({ secret: createSecretKey(Buffer.from('a test secret of enough length', 'utf8')), signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } });
  const verify = jest.spyOn(jwt, 'verifyAsync');
  const users = { findOne: jest.fn().mockResolvedValue({ ...USER }) } as unknown as Repository<UserEntity>;
  const auth = new Authenticator(jwt, users, {} as UnitOfWork, {} as AuditTrail);
  return { auth, jwt, verifications: () => verify.mock.calls.length };
}

describe('Authenticator: verified tokens kept', () => {
  beforeEach(() => jest.useFakeTimers({ now: START, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('checks the signature of a token once, and answers the same actor each time it comes back', async () => {
    const { auth, jwt, verifications } = setUp();
    const token = jwt.sign(CLAIMS, { expiresIn: 600 });
    expect(await auth.actorOfToken(token)).toMatchObject({ userId: USER.id, role: 'prescriber' });
    expect(await auth.actorOfToken(token)).toMatchObject({ userId: USER.id, role: 'prescriber' });
    expect(verifications()).toBe(1);
  });

  it('refuses a kept token from the second its expiry is reached', async () => {
    const { auth, jwt } = setUp();
    const token = jwt.sign(CLAIMS, { expiresIn: 600 });
    expect(await auth.actorOfToken(token)).not.toBeNull();
    jest.setSystemTime(START + 599_000);
    expect(await auth.actorOfToken(token)).not.toBeNull();
    jest.setSystemTime(START + 600_000);
    expect(await auth.actorOfToken(token)).toBeNull();
    jest.setSystemTime(START);
    // Forgotten once refused: back within its life (a clock set back), it is verified again, not answered from memory.
    expect(await auth.actorOfToken(token)).not.toBeNull();
  });

  it('refuses a kept token older than the lifetime even when its own expiry is later', async () => {
    const { auth, jwt } = setUp();
    const token = jwt.sign(CLAIMS, { expiresIn: 10 * TOKEN_LIFETIME_SECONDS });
    expect(await auth.actorOfToken(token)).not.toBeNull();
    jest.setSystemTime(START + TOKEN_LIFETIME_SECONDS * 1000 - 1000);
    expect(await auth.actorOfToken(token)).not.toBeNull();
    jest.setSystemTime(START + TOKEN_LIFETIME_SECONDS * 1000);
    expect(await auth.actorOfToken(token)).toBeNull();
  });

  it('never takes a token for a kept one with the same claims: another signature is checked, and refused', async () => {
    const { auth, jwt, verifications } = setUp();
    const token = jwt.sign(CLAIMS, { expiresIn: 600 });
    expect(await auth.actorOfToken(token)).not.toBeNull();
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${payload}.${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await auth.actorOfToken(forged)).toBeNull();
    expect(await auth.actorOfToken(forged)).toBeNull();
    expect(verifications()).toBe(3);
  });
});
