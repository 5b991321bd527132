import { ApiProperty } from '@nestjs/swagger';
import { ApiFinessProperty, ApiInstantProperty, ApiPeriodProperty, ApiPseudonymProperty } from '../../common/openapi/schema-formats';
import { DISCREPANCY_KINDS, DiscrepancyKind } from '../domain/reconcile';

export class DiscrepancyDto {
  @ApiProperty({ enum: DISCREPANCY_KINDS }) kind!: DiscrepancyKind;
  @ApiFinessProperty() establishment!: string;
  @ApiPseudonymProperty({ nullable: true, description: 'null for an establishment-wide discrepancy' }) patient!: string | null;
  @ApiProperty({ example: 'P-7KQ2M9XW4T is in the recap of 759900012 for 2023-04 but has no declared treatment there' }) detail!: string;
}

/** SPEC §11 `{ medicine, period, runAt, discrepancies: [{ kind, establishment, patient, detail }] }`. */
export class ReconciliationResponseDto {
  @ApiProperty({ example: 'NULOJIX' }) medicine!: string;
  @ApiPeriodProperty() period!: string;
  @ApiInstantProperty() runAt!: string;
  @ApiProperty({ type: () => [DiscrepancyDto] }) discrepancies!: DiscrepancyDto[];
}
