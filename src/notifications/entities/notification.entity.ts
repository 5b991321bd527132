import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { NotificationCode, NotificationParams } from '../../common/domain/notification-events';
import { jsonText } from '../../common/database/json-column';

/** One line of a user's inbox: one event for one recipient (unique on event_key and user_id). */
@Entity('notifications')
export class NotificationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 200, name: 'event_key' }) eventKey!: string;
  @Column({ type: 'varchar', length: 60 }) code!: NotificationCode;
  @Column({ type: 'varchar', length: 36, name: 'user_id' }) userId!: string;
  @Column({ type: 'text', transformer: jsonText }) params!: NotificationParams;
  @Column({ type: 'varchar', length: 300 }) link!: string;
  @Column({ type: 'varchar', length: 30, name: 'created_at' }) createdAt!: string;
  @Column({ type: 'varchar', length: 30, name: 'read_at', nullable: true }) readAt!: string | null;
}
