import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DateProperty, InstantProperty, PeriodProperty } from '../../common/openapi/properties';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_UNITS = 1_000_000_000;
const UNITS = { message: `must be an integer from 0 to ${MAX_UNITS}` };

export class SupplyExpectationDto {
  @ApiProperty({ example: '2023-06' }) @IsString({ message: 'must be a period YYYY-MM' }) @Matches(PERIOD, { message: 'must be a period YYYY-MM' }) period!: string;
  @ApiProperty({ example: 1200 }) @IsInt(UNITS) @Min(0, UNITS) @Max(MAX_UNITS, UNITS) units!: number;
}

/** `POST /api/v1/medicines/{code}/supply` (lab): the national stock on hand at a date and the expected supply (SPEC §8b, §11). */
export class SupplyDeclarationDto {
  @ApiProperty({ example: 5200, description: 'Units (vials) of the national stock on hand on `at`' }) @IsInt(UNITS) @Min(0, UNITS) @Max(MAX_UNITS, UNITS) stockUnits!: number;
  @ApiProperty({ example: '2023-05-15' }) @IsString({ message: 'must be a date YYYY-MM-DD' }) @Matches(DATE, { message: 'must be a date YYYY-MM-DD' }) at!: string;
  @ApiProperty({ type: [SupplyExpectationDto] })
  @IsArray({ message: 'must be a list of { period, units }' })
  @ArrayMaxSize(60, { message: 'must have at most 60 periods' })
  @ValidateNested({ each: true })
  @Type(() => SupplyExpectationDto)
  expected!: SupplyExpectationDto[];
  @ApiPropertyOptional({ example: 800, nullable: true, description: 'Units held in the hospital pharmacies, if known' })
  @IsOptional()
  @IsInt(UNITS)
  @Min(0, UNITS)
  @Max(MAX_UNITS, UNITS)
  pharmacyStockUnits?: number | null;
}

export class ProjectionQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 36, example: 12, description: 'Periods projected, 1 to 36 (default 12)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer from 1 to 36' })
  @Min(1, { message: 'must be an integer from 1 to 36' })
  @Max(36, { message: 'must be an integer from 1 to 36' })
  horizon?: number;
}

export class SupplyExpectationResponseDto {
  @PeriodProperty() period!: string;
  @ApiProperty({ type: 'integer', minimum: 0, example: 1200 }) units!: number;
}

/** `GET /api/v1/medicines/{code}/supply`: the latest declaration (SPEC §11), with its version. */
export class SupplyResponse {
  @ApiProperty({ example: 'NULOJIX' }) medicine!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) version!: number;
  @ApiProperty({ type: 'integer', minimum: 0, example: 5200 }) stockUnits!: number;
  @DateProperty() at!: string;
  @ApiProperty({ type: [SupplyExpectationResponseDto] }) expected!: SupplyExpectationResponseDto[];
  @ApiProperty({ type: 'integer', minimum: 0, nullable: true }) pharmacyStockUnits!: number | null;
  @InstantProperty() declaredAt!: string;
  @ApiProperty({ example: 'lab' }) declaredBy!: string;
}

export class ProjectedPeriodDto {
  @PeriodProperty() period!: string;
  @ApiProperty({ type: 'integer', description: 'units the continuing patients need in the period' }) continuationUnits!: number;
  @ApiProperty({ type: 'integer', description: 'units the initiations at the current pace need' }) initiationUnits!: number;
  @ApiProperty({ type: 'integer' }) supplyUnits!: number;
  @ApiProperty({ type: 'integer', description: 'stock at the end of the period at the current pace (negative: units missing)' }) stockAfter!: number;
  @ApiProperty({ type: Number }) continuingPatients!: number;
  @ApiProperty({ type: 'integer' }) stockAfterContinuations!: number;
  @ApiProperty({ type: 'integer' }) sustainableInitiationUnits!: number;
}

export class StopRateDto {
  @ApiProperty({ type: Number, minimum: 0, maximum: 1 }) monthly!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) stops!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) patientMonths!: number;
  @PeriodProperty() from!: string;
  @PeriodProperty() to!: string;
}

export class PaceDto {
  @ApiProperty({ type: Number, minimum: 0 }) initiationsPerPeriod!: number;
  @ApiProperty({ enum: ['policy-cap', 'observed'] }) source!: 'policy-cap' | 'observed';
}

/** `GET /api/v1/medicines/{code}/projection` (SPEC §11), with what the numbers rest on. */
export class ProjectionResponseDto {
  @ApiProperty({ example: 'NULOJIX' }) medicine!: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 36 }) horizon!: number;
  @ApiProperty({ type: 'integer', nullable: true, minimum: 0 }) sustainableMonthlyInitiations!: number | null;
  @PeriodProperty({ nullable: true }) stockOutPeriod!: string | null;
  @ApiProperty({ type: [ProjectedPeriodDto] }) periods!: ProjectedPeriodDto[];
  @ApiProperty({ description: 'a sentence in the language of Accept-Language' }) explanation!: string;
  @ApiProperty({ enum: ['PROJECTION_SUSTAINS', 'PROJECTION_STOCK_OUT_AT_PACE', 'PROJECTION_CONTINUATIONS_SHORT', 'PROJECTION_UNBOUNDED'] }) explanationCode!: 'PROJECTION_SUSTAINS' | 'PROJECTION_STOCK_OUT_AT_PACE' | 'PROJECTION_CONTINUATIONS_SHORT' | 'PROJECTION_UNBOUNDED';
  @ApiProperty({ type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }] } }) explanationParams!: Record<string, string | number>;
  @ApiProperty({ type: 'integer', minimum: 1 }) supplyVersion!: number;
  @DateProperty() at!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) stockUnits!: number;
  @ApiProperty({ type: 'integer', minimum: 0, nullable: true }) pharmacyStockUnits!: number | null;
  @PeriodProperty({ nullable: true }) continuationStockOutPeriod!: string | null;
  @PeriodProperty({ nullable: true }) tightestPeriod!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) activeTreatments!: number;
  @ApiProperty({ type: StopRateDto }) stopRate!: StopRateDto;
  @ApiProperty({ type: Number }) newPatientWeightKg!: number;
  @ApiProperty({ type: PaceDto }) pace!: PaceDto;
  @ApiProperty({ type: 'integer', nullable: true }) policyVersion!: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) policyMonthlyCap!: number | null;
  @ApiProperty({ type: 'integer' }) schedulePolicyVersion!: number;
}
