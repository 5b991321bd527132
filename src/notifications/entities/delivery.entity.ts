import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from '../../common/database/json-column';

/**
 * `held`: waits for the daily digest; `pending`: to send; `sending`: a worker holds it until `leaseUntil`;
 * `retrying`: failed, next try at `nextAttemptAt`; `sent`; `failed`: given up; `digested`: went out in a digest.
 */
export type DeliveryState = 'held' | 'pending' | 'sending' | 'retrying' | 'sent' | 'failed' | 'digested';

/** One e-mail for one event and recipient (or one digest), unique on `key`. */
@Entity('notification_deliveries')
export class DeliveryEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 300 }) key!: string;
  @Column({ type: 'varchar', length: 36, name: 'notification_id', nullable: true }) notificationId!: string | null;
  /** A digest's notifications. */
  @Column({ type: 'text', nullable: true, transformer: jsonText }) items!: string[] | null;
  @Column({ type: 'varchar', length: 36, name: 'user_id' }) userId!: string;
  @Column({ type: 'varchar', length: 254 }) recipient!: string;
  @Column({ type: 'varchar', length: 12 }) mode!: 'immediate' | 'digest';
  @Column({ type: 'varchar', length: 12 }) state!: DeliveryState;
  @Column({ type: 'integer', default: 0 }) attempts!: number;
  @Column({ type: 'varchar', length: 30, name: 'lease_until', nullable: true }) leaseUntil!: string | null;
  @Column({ type: 'varchar', length: 30, name: 'next_attempt_at', nullable: true }) nextAttemptAt!: string | null;
  @Column({ type: 'varchar', length: 36, name: 'digest_id', nullable: true }) digestId!: string | null;
  @Column({ type: 'varchar', length: 300, name: 'message_id' }) messageId!: string;
  @Column({ type: 'varchar', length: 30, name: 'sent_at', nullable: true }) sentAt!: string | null;
  @Column({ type: 'text', name: 'last_error', nullable: true }) lastError!: string | null;
  @Column({ type: 'varchar', length: 30, name: 'created_at' }) createdAt!: string;
  @Column({ type: 'varchar', length: 30, name: 'updated_at' }) updatedAt!: string;
}

/** The history of a delivery: one row per attempt; an attempt with no `finishedAt` was interrupted (its worker died). */
@Entity('notification_delivery_attempts')
export class DeliveryAttemptEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36, name: 'delivery_id' }) deliveryId!: string;
  @Column({ type: 'integer' }) attempt!: number;
  @Column({ type: 'varchar', length: 60 }) worker!: string;
  @Column({ type: 'varchar', length: 30, name: 'started_at' }) startedAt!: string;
  @Column({ type: 'varchar', length: 30, name: 'finished_at', nullable: true }) finishedAt!: string | null;
  @Column({ type: 'varchar', length: 12, nullable: true }) outcome!: 'sent' | 'retry' | 'failed' | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
}

@Entity('notification_preferences')
export class PreferenceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'user_id' }) userId!: string;
  @PrimaryColumn({ type: 'varchar', length: 60 }) code!: string;
  @Column({ type: 'varchar', length: 12 }) mode!: 'immediate' | 'digest' | 'off';
  @Column({ type: 'varchar', length: 30, name: 'updated_at' }) updatedAt!: string;
}
