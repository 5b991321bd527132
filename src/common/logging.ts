import type { Params } from 'nestjs-pino';
import pino from 'pino';
import { AppConfig } from '../config/config';

/**
 * Structured logs: method, route and status only; never a body, a query string, a header value,
 * a NIR, a password or a token (STACK.md, SPEC §8).
 */
export function loggerParams(config: AppConfig): Params {
  const destination = config.logFile ? pino.destination({ dest: config.logFile, sync: true, mkdir: true }) : undefined;
  return {
    pinoHttp: {
      level: config.logLevel,
      stream: destination,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.nir', '*.accessToken'], remove: true },
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, route: (req.url ?? '').split('?')[0] }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      customProps: () => ({ app: 'contingent' }),
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/api/v1/health') },
    },
  };
}
