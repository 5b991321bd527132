/**
 * CPU caps for the benchmark's app instances (Linux cgroups, as root): each capped process gets a cgroup of its own
 * allowing it `cores` of CPU time a second (CFS bandwidth: `cores` × 100 ms every 100 ms).
 *
 * Why: on a machine with few cores, the app instances, PostgreSQL, the load generator and the kernel's loopback network
 * share them, and a second uncapped instance finds the cores already taken by the first one's load. With every instance
 * held to the same share, well under what the machine has, a second instance can only add throughput if the design lets
 * it (no global lock, no serialising row): the ratio then measures the app's scaling, not the machine's spare cores.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PERIOD_MICROS = 10_000;

/** Where the cgroup cpu controller is mounted and how it is driven, or why there is none to use. */
type Controller = { version: 1 | 2; root: string } | { unavailable: string };

function controller(): Controller {
  const v1 = '/sys/fs/cgroup/cpu';
  if (existsSync(join(v1, 'cpu.cfs_quota_us'))) return { version: 1, root: v1 };
  const v2 = '/sys/fs/cgroup';
  try {
    if (readFileSync(join(v2, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('cpu')) return { version: 2, root: v2 };
  } catch {
    // not cgroup v2 either
  }
  return { unavailable: 'no cgroup cpu controller with CFS bandwidth here' };
}

/** A process held to a CPU share; `release` gives it back the whole machine and removes its cgroup. */
export interface CpuCap {
  release: () => void;
}

/**
 * Holds each of `pids` (with all its threads) to `cores` of CPU, or says why it cannot (not Linux, not root, no cpu
 * controller): nothing is changed then.
 */
export function capProcesses(pids: readonly number[], cores: number, tag: string): { caps: CpuCap[] } | { unavailable: string } {
  const found = controller();
  if ('unavailable' in found) return found;
  const caps: CpuCap[] = [];
  try {
    for (const pid of pids) {
      const dir = join(found.root, `contingent-bench-${tag}-${pid}`);
      mkdirSync(dir);
      const release = (): void => {
        try {
          writeFileSync(join(found.root, 'cgroup.procs'), String(pid));
        } catch {
          // the process has exited, or was never moved: its cgroup is empty already
        }
        rmdirSync(dir);
      };
      caps.push({ release });
      const quota = String(Math.max(1000, Math.round(cores * PERIOD_MICROS)));
      if (found.version === 1) {
        writeFileSync(join(dir, 'cpu.cfs_period_us'), String(PERIOD_MICROS));
        writeFileSync(join(dir, 'cpu.cfs_quota_us'), quota);
      } else {
        writeFileSync(join(dir, 'cpu.max'), `${quota} ${PERIOD_MICROS}`);
      }
      // Writing the pid to cgroup.procs moves every thread of the process (both versions).
      writeFileSync(join(dir, 'cgroup.procs'), String(pid));
    }
    return { caps };
  } catch (error: unknown) {
    for (const cap of caps) cap.release();
    return { unavailable: `cannot set a CPU cap: ${(error as Error).message}` };
  }
}
