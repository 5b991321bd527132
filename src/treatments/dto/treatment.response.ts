import { ApiProperty } from '@nestjs/swagger';
import { ApiDateProperty, ApiFinessProperty, ApiPseudonymProperty, ApiUuidProperty } from '../../common/openapi/schema-formats';
import { STOP_REASONS, StopReason, TreatmentStatus } from '../domain/treatment-state';
import { TREATMENT_VIEW_STATUSES } from './treatment.dto';

export class TransferLegDto {
  @ApiDateProperty() date!: string;
  @ApiFinessProperty() from!: string;
  @ApiFinessProperty() to!: string;
}

/** A treatment as the caller's establishment may see it (SPEC §11 `{ id, status: "active", … }`). */
export class TreatmentResponseDto {
  @ApiUuidProperty() id!: string;
  @ApiPseudonymProperty() patient!: string;
  @ApiProperty({ example: 'NULOJIX' }) medicine!: string;
  @ApiProperty({ example: 'kidney-transplant' }) indication!: string;
  @ApiUuidProperty({ nullable: true, description: 'the initiation request it started from' }) request!: string | null;
  @ApiProperty({ type: 'integer', example: 3 }) policyVersion!: number;
  @ApiProperty({ enum: TREATMENT_VIEW_STATUSES, description: '`transferred` for an establishment the treatment left' }) status!: TreatmentStatus | 'transferred';
  @ApiFinessProperty({ description: 'who holds it (for a former holder: where it was transferred to)' }) establishment!: string;
  @ApiDateProperty() startDate!: string;
  @ApiProperty({ example: 72 }) weightKg!: number;
  @ApiDateProperty({ nullable: true }) stopDate!: string | null;
  @ApiProperty({ enum: STOP_REASONS, nullable: true }) stopReason!: StopReason | null;
  @ApiDateProperty({ nullable: true, description: 'for a former holder: the date the treatment left it' }) transferredOn!: string | null;
  @ApiProperty({ type: () => [TransferLegDto] }) transfers!: TransferLegDto[];
}

export class TreatmentPageDto {
  @ApiProperty({ type: () => [TreatmentResponseDto] }) items!: TreatmentResponseDto[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page; null on the last' }) nextCursor!: string | null;
}
