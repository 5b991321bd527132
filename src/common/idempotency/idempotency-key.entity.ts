import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonText } from '../database/json-column';

/**
 * The first answer to a request sent with an Idempotency-Key, per user (SPEC §4 rule 8).
 * `request_hash` is a keyed HMAC and `response_body` is sealed (AES-GCM): no raw NIR can be read back.
 */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36, name: 'user_id' }) userId!: string;
  @PrimaryColumn({ type: 'varchar', length: 200 }) key!: string;
  @Column({ type: 'varchar', length: 300 }) route!: string;
  @Column({ type: 'varchar', length: 64, name: 'request_hash' }) requestHash!: string;
  /** `in_progress` until the first answer is known, then `done`. */
  @Column({ type: 'varchar', length: 20 }) state!: string;
  @Column({ type: 'integer', nullable: true, name: 'response_status' }) responseStatus!: number | null;
  @Column({ type: 'text', nullable: true, transformer: jsonText, name: 'response_body' }) responseBody!: object | null;
  /** Business-clock time, for the 48-hour purge. */
  @Column({ type: 'varchar', length: 30, name: 'created_at' }) createdAt!: string;
  /** Real time until which an `in_progress` claim is its first request's (CONTINGENT_NOW does not stop it). */
  @Column({ type: 'varchar', length: 30, name: 'lease_until', nullable: true }) leaseUntil!: string | null;
}
