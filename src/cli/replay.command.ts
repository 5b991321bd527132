import { Command, CommandRunner, Option } from 'nest-commander';
import { ReplayOptions, runReplay } from '../replay/replay-runner';

/**
 * Replays a medicine's policy timeline on the demo request stream or a given JSON file and prints
 * the period table (SPEC §12). Bad input: a message on stderr and exit code 2; an unexpected
 * failure: exit code 1; never a stack trace.
 */
@Command({
  name: 'replay',
  description: 'Replay a policy timeline on the demo request stream (or --input file.json) and print the period table',
})
export class ReplayCommand extends CommandRunner {
  async run(_params: string[], options: ReplayOptions = {}): Promise<void> {
    try {
      const result = await runReplay(options);
      if (result.ok) process.stdout.write(result.value);
      else {
        process.stderr.write(`replay: ${result.error}\n`);
        process.exitCode = 2;
      }
    } catch (error: unknown) {
      process.stderr.write(`replay: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    }
  }

  @Option({ flags: '--medicine <code>', description: 'medicine code, e.g. NULOJIX' })
  parseMedicine(value: string): string {
    return value;
  }

  @Option({ flags: '--from <period>', description: 'first period, YYYY-MM' })
  parseFrom(value: string): string {
    return value;
  }

  @Option({ flags: '--to <period>', description: 'last period, YYYY-MM' })
  parseTo(value: string): string {
    return value;
  }

  @Option({ flags: '--input <file>', description: 'a JSON replay file instead of the demo stream (format in src/replay/domain/replay-input.ts)' })
  parseInput(value: string): string {
    return value;
  }

  @Option({ flags: '--format <format>', description: 'table (default), csv or json' })
  parseFormat(value: string): string {
    return value;
  }

  @Option({ flags: '--seed <n>', description: 'seed of the demo stream (default 1)' })
  parseSeed(value: string): string {
    return value;
  }
}
