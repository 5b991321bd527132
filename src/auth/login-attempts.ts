import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { DomainError } from '../common/domain/domain-error';
import { APP_CONFIG, AppConfig } from '../config/config';
import { loginCounterKey } from './domain/login-key';

const WINDOW_MS = 60_000;

/**
 * The login rate limit (#12.9): one counter per client address and normalised username, shared by
 * the API and the sign-in page, kept in Redis when REDIS_URL is set (so several instances share
 * it), in this process otherwise. Checked after the body is validated, before the password is.
 * The address is Express's `req.ip`, which believes X-Forwarded-For only behind TRUST_PROXY.
 */
@Injectable()
export class LoginAttempts implements OnModuleDestroy {
  private readonly logger = new Logger(LoginAttempts.name);
  private readonly local = new Map<string, { count: number; resetAt: number }>();
  private readonly redis: Redis | null;
  private readonly prefix: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.redis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 1_000 }) : null;
    this.redis?.on('error', () => undefined); // reported on use, below
    const identity = config.database.type === 'sqlite' ? `sqlite:${config.database.path}` : config.database.url;
    this.prefix = `contingent:${createHash('sha256').update(identity).digest('hex').slice(0, 12)}:login:`;
  }

  /** Counts one attempt; past the limit in the window, a 429 problem. */
  async hit(address: string, username: string): Promise<void> {
    const key = loginCounterKey(address, username);
    const count = await this.count(key);
    if (count > this.config.loginRateLimit) {
      throw new DomainError('TOO_MANY_REQUESTS', {}, 429);
    }
  }

  private async count(key: string): Promise<number> {
    if (this.redis) {
      try {
        const redisKey = this.prefix + createHash('sha256').update(key).digest('hex');
        const [[, count]] = (await this.redis.multi().incr(redisKey).pexpire(redisKey, WINDOW_MS, 'NX').exec()) as [[Error | null, number], unknown];
        return count;
      } catch (error: unknown) {
        this.logger.warn({ name: (error as Error).name }, 'login counter unavailable in Redis; counting in this process');
      }
    }
    const now = performance.now();
    const entry = this.local.get(key);
    if (!entry || entry.resetAt <= now) {
      this.local.set(key, { count: 1, resetAt: now + WINDOW_MS });
      if (this.local.size > 100_000) this.local.delete(this.local.keys().next().value as string);
      return 1;
    }
    entry.count++;
    return entry.count;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.redis && this.redis.status !== 'end') await this.redis.quit().catch(() => undefined);
  }
}
