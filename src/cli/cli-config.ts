import { AppConfig, loadConfig } from '../config/config';

/** The command line reads the same environment as the app; demo secrets unless set. */
export function cliConfig(): AppConfig {
  return loadConfig({ CONTINGENT_DEMO: 'true', ...process.env });
}
