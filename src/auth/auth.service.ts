import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { EntityManager, Repository } from 'typeorm';
import type { Actor } from '../common/domain/roles';
import { DomainError } from '../common/domain/domain-error';
import { usernameOf } from './domain/login-key';
import { UserEntity } from './entities/user.entity';
import { LoginAttempts } from './login-attempts';

// A fixed argon2id hash to compare against when the user does not exist, so timing does not tell.
let decoyHash: Promise<string> | null = null;

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    private readonly jwt: JwtService,
    private readonly attempts: LoginAttempts,
  ) {}

  /** `address`: the client's address as Express gives it (`req.ip`), for the shared login limit. */
  async login(username: string, password: string, address: string): Promise<{ accessToken: string; role: string; establishment: string | null; user: UserEntity }> {
    await this.attempts.hit(address, username);
    const user = await this.users.findOne({ where: { username: usernameOf(username) } });
    decoyHash ??= hashPassword('decoy-password-never-used');
    const ok = await argon2.verify(user?.passwordHash ?? (await decoyHash), password).catch(() => false);
    if (!user || !ok) throw new DomainError('INVALID_CREDENTIALS', {}, 401);
    const accessToken = await this.jwt.signAsync({
      sub: user.id,
      username: user.username,
      role: user.role,
      establishment: user.establishment,
      specialty: user.specialty,
      ver: user.tokenVersion ?? 0,
    });
    return { accessToken, role: user.role, establishment: user.establishment, user };
  }

  /** The actor a user acts as, by username (demo seeding submits as its seeded users), read in the caller's transaction; null when unknown. */
  async actorByUsername(manager: EntityManager, username: string): Promise<Actor | null> {
    const user = await manager.getRepository(UserEntity).findOne({ where: { username } });
    return user ? { userId: user.id, username: user.username, role: user.role, establishment: user.establishment, specialty: user.specialty } : null;
  }
}

/** argon2id with OWASP's minimum parameters. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}
