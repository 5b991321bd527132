import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request } from 'express';
import { Repository } from 'typeorm';
import { UserEntity } from './entities/user.entity';
import { Actor, ROLES, Role } from '../common/domain/roles';
import { UnitOfWork } from '../common/database/unit-of-work';
import { AUDIT_TRAIL, AuditTrail } from '../common/contracts/audit-trail';

export const SESSION_COOKIE = 'contingent_session';
/** A token's lifetime; the session cookie lives as long. */
export const TOKEN_LIFETIME_SECONDS = 12 * 3600;

export interface TokenClaims {
  sub: string;
  username: string;
  role: Role;
  establishment: string | null;
  specialty: string | null;
  /** The user's token version when the token was issued. */
  ver: number;
  iat?: number;
  exp?: number;
}

type UserSnapshot = Pick<UserEntity, 'id' | 'username' | 'role' | 'establishment' | 'specialty' | 'tokenVersion'>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** At most this many verified tokens are kept (the oldest goes first). */
const KNOWN_TOKENS = 10_000;

/** A verified token's claims still hold now: before `exp`, within its lifetime from `iat`, past any `nbf` (jsonwebtoken's rules). */
function current(claims: TokenClaims & { nbf?: unknown }): boolean {
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.nbf === 'number' && claims.nbf > now) return false;
  return now < claims.exp! && now < claims.iat! + TOKEN_LIFETIME_SECONDS;
}

/**
 * The one auth check (#12.6), shared by the API, the pages and the queue dashboard: a signed token
 * with an expiry, whose user still exists with the same role and establishment and the same token
 * version (bumped on sign-out, role change and deletion). Users are read again after `cacheMs`
 * (real time, not the business clock), and at once after a revocation in this process.
 * The API (#12.5) is reached with a bearer token; the session cookie reaches only its reads
 * (e.g. a printable report linked from a page), never a state change.
 */
@Injectable()
export class Authenticator {
  /** How long a user row is trusted before it is read again; a test may lower it. */
  cacheMs = 5_000;
  private readonly cache = new Map<string, { readAt: number; user: UserSnapshot | null }>();
  /**
   * Tokens whose signature has been checked, with their claims. The same string always verifies the same way, so a
   * request that carries a known token again is spared the HMAC and the decoding; its expiry and age are checked each
   * time, as jsonwebtoken checks them (whole seconds of the real clock).
   */
  private readonly verified = new Map<string, TokenClaims>();

  constructor(
    private readonly jwt: JwtService,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly unitOfWork: UnitOfWork,
    @Inject(AUDIT_TRAIL) private readonly audit: AuditTrail,
  ) {}

  /** The token a request carries, with where it came from. */
  tokenOf(request: Request): { token: string; via: 'bearer' | 'cookie' } | null {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      const token = header.slice(7).trim();
      return token ? { token, via: 'bearer' } : null;
    }
    const cookie = (request as { cookies?: Record<string, unknown> }).cookies?.[SESSION_COOKIE];
    if (typeof cookie !== 'string' || cookie === '') return null;
    const path = request.originalUrl ?? request.url;
    if (path.startsWith('/api/') && !SAFE_METHODS.has(request.method)) return null;
    return { token: cookie, via: 'cookie' };
  }

  async actorOf(request: Request): Promise<Actor | null> {
    const found = this.tokenOf(request);
    return found ? this.actorOfToken(found.token) : null;
  }

  async actorOfToken(token: string): Promise<Actor | null> {
    const claims = await this.claimsOf(token);
    if (!claims) return null;
    if (!ROLES.includes(claims.role)) return null;
    const user = await this.user(claims.sub);
    if (!user || (user.tokenVersion ?? 0) !== claims.ver || user.role !== claims.role || (user.establishment ?? null) !== (claims.establishment ?? null)) return null;
    return { userId: user.id, username: user.username, role: user.role, establishment: user.establishment ?? null, specialty: user.specialty ?? null };
  }

  /** Every token of the actor stops working (sign-out), audited with the change. */
  async revoke(actor: Actor): Promise<void> {
    const userId = actor.userId;
    // A transaction of its own (on SQLite a write outside one would join whichever group of use cases is open).
    await this.unitOfWork.run(async (manager) => {
      await manager.createQueryBuilder().update(UserEntity).set({ tokenVersion: () => 'token_version + 1' }).where('id = :id', { id: userId }).execute();
      await this.audit.record(manager, actor, { action: 'user.signed-out', entity: 'user', entityId: userId, after: { tokensRevoked: true } });
    });
    this.cache.delete(userId);
  }

  /** The claims of a well-formed token signed with our key, unexpired and younger than its lifetime; null otherwise. */
  private async claimsOf(token: string): Promise<TokenClaims | null> {
    const known = this.verified.get(token);
    if (known) {
      if (current(known)) return known;
      this.verified.delete(token);
      return null;
    }
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, { maxAge: TOKEN_LIFETIME_SECONDS });
    } catch {
      return null;
    }
    if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number' || typeof claims.sub !== 'string' || typeof claims.ver !== 'number') return null;
    if (this.verified.size >= KNOWN_TOKENS) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, claims);
    return claims;
  }

  private async user(id: string): Promise<UserSnapshot | null> {
    const now = performance.now();
    const cached = this.cache.get(id);
    if (cached && now - cached.readAt < this.cacheMs) return cached.user;
    const user = await this.users.findOne({ where: { id }, select: { id: true, username: true, role: true, establishment: true, specialty: true, tokenVersion: true } });
    this.cache.set(id, { readAt: now, user });
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value as string);
    return user;
  }
}
