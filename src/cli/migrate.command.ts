import { Command, CommandRunner } from 'nest-commander';
import { createDataSource } from '../config/data-source';
import { cliConfig } from './cli-config';

@Command({ name: 'migrate', description: 'Apply the pending schema migrations to DATABASE_URL' })
export class MigrateCommand extends CommandRunner {
  async run(): Promise<void> {
    const dataSource = createDataSource(cliConfig());
    await dataSource.initialize();
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    process.stdout.write(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}\n` : 'schema up to date\n');
    await dataSource.destroy();
  }
}
