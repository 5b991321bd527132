import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiDateProperty, ApiFinessProperty, ApiInstantProperty, ApiPeriodProperty, ApiPseudonymProperty, ApiUuidProperty } from '../../common/openapi/schema-formats';

export const ORDER_STATUSES = ['submitted', 'flagged', 'confirmed', 'reduced', 'refused'] as const;

export class OrderFlagDto {
  @ApiProperty({ enum: ['ORDER_EXCEEDS_NEED', 'PATIENT_STOPPED', 'LINE_WITHOUT_NEED'] }) code!: string;
  @ApiProperty({ example: 'order of 12 vials exceeds the need of 8 (tolerance 10 %)' }) message!: string;
  @ApiPropertyOptional({ type: 'integer', description: 'index in `lines` of a line flag' }) line?: number;
  @ApiPseudonymProperty({ required: false }) patient?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { anyOf: [{ type: 'number' }, { type: 'string', nullable: true }] }, description: "the sentence's parameters" })
  params?: Record<string, string | number | null>;
}

export class OrderLineResponseDto {
  @ApiPseudonymProperty() patient!: string;
  @ApiDateProperty({ isArray: true, description: 'the administrations planned in the period' }) administrations!: string[];
  @ApiProperty({ type: 'integer', example: 2 }) vials!: number;
}

export class OrderDecisionDto {
  @ApiProperty({ type: 'integer', description: 'the vials delivered (0 when refused)' }) quantity!: number;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiInstantProperty() decidedAt!: string;
}

/** SPEC §11 `{ id, status, need, lines: [{ patient, administrations, vials }], flags: [{ code, message }] }`, plus the order's details. */
export class OrderResponseDto {
  @ApiUuidProperty() id!: string;
  @ApiProperty({ example: 'NULOJIX' }) medicine!: string;
  @ApiFinessProperty() establishment!: string;
  @ApiPeriodProperty() period!: string;
  @ApiProperty({ type: 'integer', example: 10, description: 'vials ordered' }) quantity!: number;
  @ApiProperty({ type: 'integer', example: 8, description: "vials the lines' administrations need" }) need!: number;
  @ApiProperty({ type: 'integer', example: 8, description: 'the most vials accepted without a flag (need plus the policy tolerance)' }) tolerated!: number;
  @ApiProperty({ type: 'integer', example: 3 }) policyVersion!: number;
  @ApiProperty({ enum: ORDER_STATUSES }) status!: string;
  @ApiProperty({ type: () => [OrderFlagDto] }) flags!: OrderFlagDto[];
  @ApiProperty({ type: () => [OrderLineResponseDto], required: false, description: 'absent in lists (read one order for its lines)' }) lines?: OrderLineResponseDto[];
  @ApiInstantProperty() submittedAt!: string;
  @ApiProperty({ type: () => OrderDecisionDto, nullable: true, description: "the lab's decision, null until taken" }) decision!: OrderDecisionDto | null;
}

export class OrderPageDto {
  @ApiProperty({ type: () => [OrderResponseDto] }) items!: OrderResponseDto[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page; null on the last' }) nextCursor!: string | null;
}
