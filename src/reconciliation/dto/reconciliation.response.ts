import { ApiProperty } from '@nestjs/swagger';
import { ApiFinessProperty, ApiInstantProperty, ApiPeriodProperty, ApiPseudonymProperty } from '../../common/openapi/schema-formats';
import { DISCREPANCY_KINDS, DiscrepancyKind } from '../domain/reconcile';

export class DiscrepancyDto {
  @ApiProperty({ enum: DISCREPANCY_KINDS }) kind!: DiscrepancyKind;
  @ApiFinessProperty() establishment!: string;
  @ApiPseudonymProperty({ nullable: true, description: 'null for an establishment-wide discrepancy' }) patient!: string | null;
  @ApiProperty({ example: 'P-7KQ2M9XW4T is in the recap of 759900012 for 2023-04 but has no declared treatment there', description: "the sentence from kind and params, in the reader's language (Accept-Language)" })
  detail!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { ordered: 12, needed: 6 }, description: "the discrepancy's figures (counts, vials, dates, pseudonyms; never a NIR)" })
  params!: Record<string, unknown>;
}

/** SPEC §11 `{ medicine, period, runAt, discrepancies: [{ kind, establishment, patient, detail, params }] }`. */
export class ReconciliationResponseDto {
  @ApiProperty({ example: 'NULOJIX' }) medicine!: string;
  @ApiPeriodProperty() period!: string;
  @ApiInstantProperty() runAt!: string;
  @ApiProperty({ type: () => [DiscrepancyDto] }) discrepancies!: DiscrepancyDto[];
}
