import { ApiProperty } from '@nestjs/swagger';
import { ApiFinessProperty, ApiInstantProperty, ApiPeriodProperty, ApiUuidProperty } from '../../common/openapi/schema-formats';

export class CentreAllocationDto {
  @ApiFinessProperty() finess!: string;
  @ApiProperty({ type: 'integer', example: 40 }) followedPatients!: number;
  @ApiProperty({ example: 1.6, description: "the centre's exact fractional share of the quota pool" }) entitlement!: number;
  @ApiProperty({ example: 0.3 }) creditBefore!: number;
  @ApiProperty({ type: 'integer', example: 2 }) slots!: number;
  @ApiProperty({ type: 'integer', example: 1 }) used!: number;
  @ApiProperty({ example: -0.1 }) creditAfter!: number;
  @ApiProperty({ type: 'integer', example: 0, description: 'slots carried from an earlier period' }) carriedSlots!: number;
}

/** SPEC §11 `GET /medicines/{code}/allocations/{period}`. */
export class AllocationResponseDto {
  @ApiProperty({ example: 'NULOJIX' }) medicine!: string;
  @ApiPeriodProperty() period!: string;
  @ApiProperty({ type: 'integer', example: 3 }) policyVersion!: number;
  @ApiProperty({ enum: ['unrestricted', 'freed-stock', 'capped'] }) mode!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'null when unrestricted', example: 50 }) nationalCapacity!: number | null;
  @ApiProperty({ type: 'integer', example: 3 }) urgentGranted!: number;
  @ApiProperty({ type: 'integer', example: 20 }) quotaPool!: number;
  @ApiProperty({ type: 'integer', example: 12 }) quotaGranted!: number;
  @ApiProperty({ type: 'integer', example: 0 }) freedCapacity!: number;
  @ApiProperty({ type: 'integer', example: 0 }) extraCapacity!: number;
  @ApiProperty({ type: 'integer', example: 0 }) carriedFreedCapacity!: number;
  @ApiInstantProperty() computedAt!: string;
  @ApiProperty({ type: () => [CentreAllocationDto] }) centres!: CentreAllocationDto[];
}

export class SupplyDeclaredDto {
  @ApiProperty({ example: 'NULOJIX' }) medicine!: string;
  @ApiPeriodProperty() period!: string;
  @ApiProperty({ type: 'integer', example: 10 }) initiations!: number;
  @ApiProperty({ type: 'integer', example: 10, description: "the period's declared extra initiations so far" }) extraCapacity!: number;
  @ApiProperty({ type: 'integer', nullable: true }) nationalCapacity!: number | null;
  @ApiUuidProperty({ isArray: true, description: 'the waiting requests granted at once' }) granted!: string[];
}
