import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from '../../common/database/json-column';
import type { JobPayload } from '../../common/contracts/job-registry';
import type { JobState, JobTrigger } from '../domain/job-keys';

/** One job id and how it ran (SPEC §7: the history is visible), kept in both modes. */
@Entity('job_runs')
export class JobRunEntity {
  @PrimaryColumn({ type: 'varchar', length: 200 }) id!: string;
  @Column({ type: 'varchar', length: 80 }) name!: string;
  /** What the job is about: `MEDICINE:PERIOD` or the date of a daily job. */
  @Column({ type: 'varchar', length: 120 }) key!: string;
  @Column({ type: 'text', transformer: jsonText }) payload!: JobPayload;
  @Column({ type: 'varchar', length: 20 }) trigger!: JobTrigger;
  /** `redis` (BullMQ) or `in-process`. */
  @Column({ type: 'varchar', length: 12 }) mode!: string;
  @Column({ type: 'varchar', length: 12 }) state!: JobState;
  /** Times the job was started (a worker killed half-way counts). */
  @Column({ type: 'integer', default: 0 }) attempts!: number;
  @Column({ type: 'integer', name: 'max_attempts' }) maxAttempts!: number;
  @Column({ type: 'varchar', length: 30, name: 'queued_at' }) queuedAt!: string;
  @Column({ type: 'varchar', length: 30, name: 'started_at', nullable: true }) startedAt!: string | null;
  @Column({ type: 'varchar', length: 30, name: 'finished_at', nullable: true }) finishedAt!: string | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @Column({ type: 'text', nullable: true, transformer: jsonText }) result!: unknown;
}
