import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
export class DeclareSupplyDto {
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
  @ApiPropertyOptional({ example: 12, description: 'Periods projected, 1 to 36 (default 12)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer from 1 to 36' })
  @Min(1, { message: 'must be an integer from 1 to 36' })
  @Max(36, { message: 'must be an integer from 1 to 36' })
  horizon?: number;
}

/** `GET /api/v1/medicines/{code}/supply`: the latest declaration (SPEC §11), with its version. */
export interface SupplyResponse {
  medicine: string;
  version: number;
  stockUnits: number;
  at: string;
  expected: { period: string; units: number }[];
  pharmacyStockUnits: number | null;
  declaredAt: string;
  declaredBy: string;
}
