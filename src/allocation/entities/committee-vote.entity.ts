import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { VoteDecision } from '../domain/decide';

/** One committee member's vote on an urgent request (SPEC §5); one per member and request. */
@Entity('committee_votes')
@Index(['requestId', 'memberId'], { unique: true })
export class CommitteeVoteEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 36, name: 'request_id' }) requestId!: string;
  @Column({ type: 'varchar', length: 36, name: 'member_id' }) memberId!: string;
  @Column({ type: 'varchar', length: 100, name: 'member_name' }) memberName!: string;
  @Column({ type: 'varchar', length: 9, nullable: true, name: 'member_establishment' }) memberEstablishment!: string | null;
  @Column({ type: 'varchar', length: 10 }) decision!: VoteDecision;
  @Column({ type: 'text' }) rationale!: string;
  @Column({ type: 'varchar', length: 30, name: 'voted_at' }) votedAt!: string;
}
