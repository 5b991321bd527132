import { plainToInstance } from 'class-transformer';
import { IsBooleanString, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { DEMO_AUDIT_SIGNING_KEY, parseAuditSigningKey } from './signing-key';

/** The environment, checked once at boot (SPEC §12). Only this file reads process.env. */
class EnvDto {
  @IsOptional() @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() @Matches(/^(sqlite:|postgres:\/\/|postgresql:\/\/)/, { message: 'must start with sqlite: or postgres://' }) DATABASE_URL?: string;
  @IsOptional() @IsString() @Matches(/^rediss?:\/\//, { message: 'must start with redis://' }) REDIS_URL?: string;
  @IsOptional() @IsString() @MinLength(16, { message: 'must be at least 16 characters' }) PATIENT_ID_SECRET?: string;
  @IsOptional() @IsString() @MinLength(16, { message: 'must be at least 16 characters' }) JWT_SECRET?: string;
  @IsOptional() @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 time, e.g. 2023-05-09T10:00:00+02:00' }) CONTINGENT_NOW?: string;
  @IsOptional() @IsBooleanString({ message: 'must be true or false' }) CONTINGENT_DEMO?: string;
  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL?: string;
  @IsOptional() @IsString() LOG_FILE?: string;
  @IsOptional() @IsInt() @Min(1) LOGIN_RATE_LIMIT?: number;
  @IsOptional() @IsBooleanString({ message: 'must be true or false' }) JOBS_CRON?: string;
  @IsOptional() @IsBooleanString({ message: 'must be true or false' }) DB_SYNCHRONIZE_FOR_TESTS?: string;
  @IsOptional()
  @IsString()
  @Matches(/^(true|false|\d{1,2}|((loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?))*))$/, {
    message: 'must be false, true, a number of proxy hops, or a comma list of addresses/subnets (loopback, 10.0.0.0/8, …)',
  })
  TRUST_PROXY?: string;
  @IsOptional() @IsString() @Matches(/^smtps?:\/\/[^\s]+$/, { message: 'must be an smtp:// or smtps:// URL, e.g. smtp://mail.example.org:587' }) SMTP_URL?: string;
  @IsOptional() @IsString() @Matches(/^([^<>@\s]+ )*<?[^<>@\s]+@[^<>@\s]+>?$/, { message: 'must be an address, e.g. Contingent <contingent@example.org>' }) MAIL_FROM?: string;
  @IsOptional() @IsString() @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL, e.g. https://contingent.example.org' }) PUBLIC_URL?: string;
}

export interface AppConfig {
  port: number;
  database: { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };
  redisUrl: string | null;
  patientIdSecret: string;
  jwtSecret: string;
  fixedNow: Date | null;
  demo: boolean;
  /** Demo mode also seeds a live shortage of a fictitious medicine around today (CONTINGENT_DEMO_LIVE=false to leave it out). */
  demoLive: boolean;
  logLevel: string;
  logFile: string | null;
  loginRateLimit: number;
  cron: boolean;
  /** Ed25519 private key (PKCS#8 PEM) that signs the audit checkpoints (SPEC §8). */
  auditSigningKey: string;
  /** Express's `trust proxy`: X-Forwarded-For is believed only from these (#12.9); default none. */
  trustProxy: boolean | number | string;
  /** Notifications by e-mail (issue 19): null = inbox only. */
  mail: { smtpUrl: string | null; from: string; publicUrl: string };
}

export class ConfigError extends Error {}

const DEMO_SECRET = 'contingent-demo-secret-not-for-production';

/** Reads and validates the environment; throws a ConfigError naming each wrong variable. */
export function loadConfig(input: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable is unset (#12.11): `REDIS_URL=` in a shell or compose file means no Redis.
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const raw = plainToInstance(EnvDto, {
    ...env,
    PORT: env.PORT === undefined || env.PORT === '' ? undefined : Number(env.PORT),
    LOGIN_RATE_LIMIT: env.LOGIN_RATE_LIMIT ? Number(env.LOGIN_RATE_LIMIT) : undefined,
  });
  const problems = validateSync(raw, { skipMissingProperties: false }).map(
    (e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')} (got ${e.property === 'SMTP_URL' ? 'a value not shown: it may hold a password' : JSON.stringify(e.value)})`,
  );
  const demo = env.CONTINGENT_DEMO === 'true';
  if (!demo) {
    if (!env.PATIENT_ID_SECRET) problems.push('PATIENT_ID_SECRET: required outside demo mode (CONTINGENT_DEMO=true)');
    if (!env.JWT_SECRET) problems.push('JWT_SECRET: required outside demo mode (CONTINGENT_DEMO=true)');
    // #12.11: the demo secret is public (it is in the source), and one secret for both purposes means
    // whoever can forge a token can also recompute patient hashes.
    for (const name of ['PATIENT_ID_SECRET', 'JWT_SECRET'] as const) {
      if (env[name] === DEMO_SECRET) problems.push(`${name}: the demo secret is refused outside demo mode; set a secret of your own`);
    }
    if (env.JWT_SECRET && env.JWT_SECRET === env.PATIENT_ID_SECRET) problems.push('JWT_SECRET: must differ from PATIENT_ID_SECRET');
  }
  // Audit checkpoints (SPEC §8): an Ed25519 key, the demo one only in demo mode.
  let auditSigningKey = DEMO_AUDIT_SIGNING_KEY;
  if (env.AUDIT_SIGNING_KEY) {
    const key = parseAuditSigningKey(env.AUDIT_SIGNING_KEY);
    if (!key.ok) problems.push(`AUDIT_SIGNING_KEY: ${key.reason}`);
    else if (!demo && key.pem === DEMO_AUDIT_SIGNING_KEY) problems.push('AUDIT_SIGNING_KEY: the demo key is refused outside demo mode');
    else auditSigningKey = key.pem;
  } else if (!demo) problems.push('AUDIT_SIGNING_KEY: required outside demo mode (an Ed25519 private key, e.g. from `openssl genpkey -algorithm ed25519`)');
  if (problems.length > 0) throw new ConfigError(`Invalid environment:\n  ${problems.join('\n  ')}`);
  const url = env.DATABASE_URL || 'sqlite:data/contingent.sqlite';
  return {
    port: raw.PORT ?? 3000,
    database: url.startsWith('sqlite:') ? { type: 'sqlite', path: url.slice('sqlite:'.length) } : { type: 'postgres', url },
    redisUrl: env.REDIS_URL || null,
    patientIdSecret: env.PATIENT_ID_SECRET || DEMO_SECRET,
    jwtSecret: env.JWT_SECRET || DEMO_SECRET,
    fixedNow: env.CONTINGENT_NOW ? new Date(env.CONTINGENT_NOW) : null,
    demo,
    demoLive: demo && env.CONTINGENT_DEMO_LIVE !== 'false',
    logLevel: env.LOG_LEVEL || 'info',
    logFile: env.LOG_FILE || null,
    loginRateLimit: raw.LOGIN_RATE_LIMIT ?? 10,
    cron: env.JOBS_CRON !== 'false',
    auditSigningKey,
    trustProxy: trustProxyOf(env.TRUST_PROXY),
    mail: { smtpUrl: env.SMTP_URL || null, from: env.MAIL_FROM || 'Contingent <contingent@localhost>', publicUrl: (env.PUBLIC_URL || `http://localhost:${raw.PORT ?? 3000}`).replace(/\/+$/, '') },
  };
}

function trustProxyOf(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
