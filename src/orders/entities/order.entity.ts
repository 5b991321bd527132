import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { jsonText } from '../../common/database/json-column';
import type { OrderFlag } from '../domain/order-need';
import type { OrderStatus } from '../domain/order-decision';

/** The slot every order holds until refused: one open order per medicine, establishment and period. */
export const OPEN_ORDER_SLOT = 'open';

/** A pharmacy's order with its assessment (SPEC §5 Order) and the lab's decision. */
@Entity('orders')
@Index(['medicine', 'establishment', 'period', 'activeSlot'], { unique: true })
@Index(['period', 'medicine'])
@Index(['establishment'])
export class OrderEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 40 }) medicine!: string;
  @Column({ type: 'varchar', length: 9 }) establishment!: string;
  @Column({ type: 'varchar', length: 7 }) period!: string;
  /** Vials ordered. */
  @Column({ type: 'integer' }) quantity!: number;
  /** Vials the lines need (SPEC §6). */
  @Column({ type: 'integer' }) need!: number;
  /** The most that passes without a flag under the policy's tolerance. */
  @Column({ type: 'integer' }) tolerated!: number;
  @Column({ type: 'double precision', name: 'tolerance_pct' }) tolerancePct!: number;
  @Column({ type: 'integer', name: 'policy_version' }) policyVersion!: number;
  @Column({ type: 'varchar', length: 12 }) status!: OrderStatus;
  @Column({ type: 'text', transformer: jsonText }) flags!: OrderFlag[];
  /** OPEN_ORDER_SLOT, or the order's own id once refused (which frees the slot for a new order). */
  @Column({ type: 'varchar', length: 36, name: 'active_slot' }) activeSlot!: string;
  /** Vials the lab will deliver once it decided: ordered, reduced quantity, or 0. */
  @Column({ type: 'integer', name: 'delivered_quantity', nullable: true }) deliveredQuantity!: number | null;
  @Column({ type: 'text', name: 'decision_reason', nullable: true }) decisionReason!: string | null;
  @Column({ type: 'varchar', length: 30, name: 'decided_at', nullable: true }) decidedAt!: string | null;
  @Column({ type: 'varchar', length: 100, name: 'decided_by', nullable: true }) decidedBy!: string | null;
  @Column({ type: 'varchar', length: 30, name: 'submitted_at' }) submittedAt!: string;
  @Column({ type: 'varchar', length: 100, name: 'submitted_by' }) submittedBy!: string;
}
