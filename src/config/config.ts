import { plainToInstance } from 'class-transformer';
import { IsBooleanString, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

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
}

export class ConfigError extends Error {}

const DEMO_SECRET = 'contingent-demo-secret-not-for-production';

/** Reads and validates the environment; throws a ConfigError naming each wrong variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = plainToInstance(EnvDto, {
    ...env,
    PORT: env.PORT === undefined || env.PORT === '' ? undefined : Number(env.PORT),
    LOGIN_RATE_LIMIT: env.LOGIN_RATE_LIMIT ? Number(env.LOGIN_RATE_LIMIT) : undefined,
  });
  const problems = validateSync(raw, { skipMissingProperties: false }).map(
    (e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')} (got ${JSON.stringify(e.value)})`,
  );
  const demo = env.CONTINGENT_DEMO === 'true';
  if (!demo) {
    if (!env.PATIENT_ID_SECRET) problems.push('PATIENT_ID_SECRET: required outside demo mode (CONTINGENT_DEMO=true)');
    if (!env.JWT_SECRET) problems.push('JWT_SECRET: required outside demo mode (CONTINGENT_DEMO=true)');
  }
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
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
