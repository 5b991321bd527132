import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { jsonText } from '../../common/database/json-column';

/** A criterion as stored; its `rule` is a JsonLogic rule (`JsonRule`) once published. */
export interface StoredCriterion {
  id: string;
  sentence: string;
  rule: object | string | number | boolean | null;
}

/** One published version of a scheme's eligibility criteria, JsonLogic rules as data (SPEC §9). */
@Entity('access_criteria_versions')
@Index(['scheme', 'version'], { unique: true })
@Index(['scheme', 'effectiveFrom'], { unique: true })
export class CriteriaVersionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 40 }) scheme!: string;
  @Column({ type: 'varchar', length: 60 }) version!: string;
  @Column({ type: 'varchar', length: 10, name: 'effective_from' }) effectiveFrom!: string;
  /** `{ id, sentence, rule }` with the rule checked by validateCriteria when published. */
  @Column({ type: 'text', transformer: jsonText }) criteria!: StoredCriterion[];
  @Column({ type: 'varchar', length: 30, name: 'published_at' }) publishedAt!: string;
  @Column({ type: 'varchar', length: 100, name: 'published_by' }) publishedBy!: string;
}
