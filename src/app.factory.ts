import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger as PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { bodyLimits } from './common/http/body-limits';
import { PROBLEM_CONTENT_TYPE } from './common/problem-details/problem';
import { withRequestRules } from './common/openapi/request-rules';
import { withSummaries } from './common/openapi/summaries';
import { withProblemResponses } from './common/problem-details/openapi-problems';
import { toProblem } from './common/problem-details/problem-details.filter';
import { createValidationPipe } from './common/problem-details/validation';
import { AppConfig } from './config/config';
import { DemoSeeder } from './demo/demo-seeder.service';

/** Builds the whole app (used by main.ts, the e2e tests and the benchmarks). */
export async function createApp(config: AppConfig, options: { logger?: boolean } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true, bodyParser: false, logger: options.logger === false ? false : undefined });
  app.useLogger(app.get(PinoLogger));
  // X-Forwarded-For is believed only from the proxies TRUST_PROXY names (#12.9); by default none.
  app.set('trust proxy', config.trustProxy);
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(cookieParser());
  app.use(bodyLimits());
  // Body-limits and body-parser errors (malformed JSON, too large) happen before Nest's filters: answer them as problems.
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const problem = toProblem(error, req.originalUrl, new Logger('Errors'));
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  SwaggerModule.setup('api/docs', app, () => apiDocument(app), { jsonDocumentUrl: 'api/docs-json' });

  await app.get(DataSource).runMigrations({ transaction: 'each' });
  // init first: modules register their demo steps and job handlers in onModuleInit.
  await app.init();
  if (config.demo) await app.get(DemoSeeder).seedIfEmpty();
  return app;
}

/** The OpenAPI document, generated from the controllers and DTOs, then completed with the rules applied globally (problems, request side). */
export function apiDocument(app: INestApplication): OpenAPIObject {
  const docs = new DocumentBuilder()
    .setTitle('Contingent API')
    .setDescription('Quota manager for medicines under supply shortage (SPEC §10–11). Errors are RFC 9457 problem details (application/problem+json).')
    .setVersion('1')
    .setLicense('Proprietary', 'https://example.org/contingent/licence')
    .addServer('/', 'this server')
    .addBearerAuth()
    .build();
  return withSummaries(withRequestRules(withProblemResponses(SwaggerModule.createDocument(app, docs))));
}

export function printUrls(app: INestApplication, config: AppConfig, url: string): void {
  const lines = [
    `Contingent is running on ${url}`,
    `  API:        ${url}/api/v1`,
    `  API docs:   ${url}/api/docs  (OpenAPI JSON: ${url}/api/docs-json)`,
    `  Pages:      ${url}/  (pharmacy, committee, lab, agency)`,
    `  Health:     ${url}/api/v1/health`,
    `  Database:   ${config.database.type === 'sqlite' ? `SQLite file ${config.database.path}` : 'PostgreSQL'}; jobs: ${config.redisUrl ? 'BullMQ on Redis' : 'in-process (no REDIS_URL)'}`,
  ];
  if (config.demo) {
    lines.push('  Demo logins (password "contingent-demo"): agency, lab, committee-1..3, pui-<finess>, prescriber-<finess>, haematologist-<finess>, neurologist-<finess>');
    lines.push('    e.g. pui-759900012 and prescriber-759900012 (Necker, fictitious FINESS), pui-699900015 (Lyon); GET /api/v1/establishments lists them all');
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
