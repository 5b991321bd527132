import { ApiProperty } from '@nestjs/swagger';
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
  @ApiProperty() finess!: string;
  @ApiProperty() period!: string;
  @ApiProperty({ enum: ['proposed', 'approved', 'rejected'] }) status!: 'proposed' | 'approved' | 'rejected';
  /** The count declared. */
  @ApiProperty() count!: number;
  /** The approved count in force for the period after this call (null: none yet). */
  @ApiProperty({ nullable: true, type: Number }) approvedCount!: number | null;
}

export interface PendingDeclaration {
  finess: string;
  name: string;
  period: string;
  count: number;
  approvedCount: number | null;
  changePct: number | null;
  declaredBy: string;
  declaredAt: string;
}

export interface EstablishmentResponse {
  finess: string;
  name: string;
  region: string;
  category: string;
  transplantCentre: boolean;
  fictitious: boolean;
  followedPatients?: number | null;
}
