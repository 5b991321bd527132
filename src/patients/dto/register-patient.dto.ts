import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DateProperty, PseudonymProperty } from '../../common/openapi/properties';
import { IsIn, IsNumber, IsString, Matches, Max, Min } from 'class-validator';

export class RegisterPatientDto {
  @ApiProperty({ description: 'NIR/INS, 13 characters and a 2-digit key (2A/2B for Corsica, spaces allowed); checked, hashed, never stored', minLength: 15, maxLength: 30 })
  @IsString({ message: 'must be a string' })
  nir!: string;
  @ApiProperty({ example: '1984-12-01' }) @IsString() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' }) birthDate!: string;
  @ApiProperty({ enum: ['F', 'M'] }) @IsIn(['F', 'M'], { message: 'must be F or M' }) sex!: 'F' | 'M';
  @ApiProperty({ example: 70 }) @IsNumber({}, { message: 'must be a positive number' }) @Min(0.5, { message: 'must be a positive number' }) @Max(400, { message: 'must be at most 400' }) weightKg!: number;
}

/** SPEC §11: `{ pseudonym, birthDate, sex, weightKg }`; the NIR is never returned. */
export class PatientResponse {
  @PseudonymProperty() pseudonym!: string;
  @DateProperty({ description: 'YYYY-MM-DD' }) birthDate!: string;
  @ApiProperty({ enum: ['F', 'M'] }) sex!: string;
  @ApiProperty({ type: Number, exclusiveMinimum: true, minimum: 0, example: 70 }) weightKg!: number;
}

const DETAILS = { type: 'array', items: { type: 'object', additionalProperties: true } } as const;

/** `GET /patients/{pseudonym}`: the patient with what the other modules hold on them, scoped to the caller. */
export class PatientDetailResponse extends PatientResponse {
  @ApiPropertyOptional({ ...DETAILS, description: 'the treatments (treatments module)' }) treatments?: unknown[];
  @ApiPropertyOptional({ ...DETAILS, description: 'the initiation requests (allocation module)' }) requests?: unknown[];
  @ApiPropertyOptional({ ...DETAILS, description: 'the compassionate-access requests' }) accessRequests?: unknown[];
}
