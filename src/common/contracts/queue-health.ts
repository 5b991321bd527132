/** Provided by the jobs module: whether the queue backend answers. */
export const QUEUE_HEALTH = Symbol('QUEUE_HEALTH');

export interface QueueHealth {
  state(): Promise<{ mode: 'redis' | 'in-process'; up: boolean }>;
}
