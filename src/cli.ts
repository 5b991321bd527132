import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli/cli.module';
import { ConfigError } from './config/config';
import { cliConfig } from './cli/cli-config';

/**
 * The command line (SPEC §10): `migrate`, `audit-verify`, `replay`. Bad input gets a clear
 * message and a non-zero exit, never a stack trace.
 */
async function main(): Promise<void> {
  try {
    cliConfig();
  } catch (error: unknown) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  await CommandFactory.run(CliModule, {
    logger: ['error'],
    errorHandler: (err: Error) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    },
  });
}

void main();
