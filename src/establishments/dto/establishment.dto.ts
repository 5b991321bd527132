import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FinessProperty, InstantProperty, PeriodProperty } from '../../common/openapi/properties';
import { FINESS_PATTERN } from '../../common/validation/domain-validators';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export const CATEGORIES = ['CHU', 'CHG', 'CH', 'CLCC', 'ESPIC', 'clinic', 'other'] as const;

export class CreateEstablishmentDto {
  @ApiProperty({ example: '750100018', pattern: FINESS_PATTERN, minLength: 9, maxLength: 9, description: 'FINESS: 9 characters (2A/2B for Corsica), the last a Luhn key (checked: FINESS_INVALID)' })
  @IsString()
  @Matches(/^(\d{2}|2A|2B)\d{7}$/, { message: 'must be 9 characters: 2 for the department (2A/2B for Corsica) and 7 digits' })
  finess!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) region!: string;
  @ApiProperty({ enum: CATEGORIES }) @IsIn(CATEGORIES, { message: `must be one of ${CATEGORIES.join(', ')}` }) category!: string;
  @ApiProperty() @IsBoolean({ message: 'must be true or false' }) transplantCentre!: boolean;
}

export class FollowedPatientsDto {
  @ApiProperty({ example: 1200 })
  @IsInt({ message: 'must be an integer' })
  @Min(0, { message: 'must be 0 or more' })
  @Max(1_000_000)
  count!: number;
}

/** The agency's approval: the count approved, by default the one declared. */
export class ApproveFollowedPatientsDto {
  @ApiProperty({ example: 1200, required: false, description: 'The approved count (corrects the declaration); absent: the declared count' })
  @IsOptional()
  @IsInt({ message: 'must be an integer' })
  @Min(0, { message: 'must be 0 or more' })
  @Max(1_000_000)
  count?: number;
}

export class RejectFollowedPatientsDto {
  @ApiProperty({ required: false }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

/** SPEC §11: `{ status: "proposed" | "approved", count, approvedCount }` (and `rejected` after a rejection). */
export class FollowedPatientsAnswer {
  @FinessProperty() finess!: string;
  @PeriodProperty() period!: string;
  @ApiProperty({ enum: ['proposed', 'approved', 'rejected'] }) status!: 'proposed' | 'approved' | 'rejected';
  /** The count declared. */
  @ApiProperty({ type: 'integer', minimum: 0, example: 1200 }) count!: number;
  /** The approved count in force for the period after this call (null: none yet). */
  @ApiProperty({ nullable: true, type: 'integer', minimum: 0, example: 1180 }) approvedCount!: number | null;
}

/** A followed-patient declaration waiting for the agency (#12.7). */
export class PendingDeclaration {
  @FinessProperty() finess!: string;
  @ApiProperty({ example: 'Hôpital Necker' }) name!: string;
  @PeriodProperty() period!: string;
  @ApiProperty({ type: 'integer', minimum: 0, example: 1200 }) count!: number;
  @ApiProperty({ type: 'integer', minimum: 0, nullable: true, description: 'the count approved for the period before' }) approvedCount!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 1.7, description: 'change from the count approved before, in %' }) changePct!: number | null;
  @ApiProperty({ example: 'pui-759900012' }) declaredBy!: string;
  @InstantProperty() declaredAt!: string;
}

/** SPEC §11: `{ finess, name, region, category, transplantCentre }`. */
export class EstablishmentResponse {
  @FinessProperty() finess!: string;
  @ApiProperty({ example: 'Hôpital Necker' }) name!: string;
  @ApiProperty({ example: 'Île-de-France' }) region!: string;
  @ApiProperty({ enum: CATEGORIES }) category!: string;
  @ApiProperty() transplantCentre!: boolean;
  @ApiProperty({ description: 'demo data: a FINESS that is not a real establishment' }) fictitious!: boolean;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, nullable: true, description: "the approved followed-patient count of the current period" }) followedPatients?: number | null;
}
