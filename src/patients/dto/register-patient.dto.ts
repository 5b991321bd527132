import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNumber, IsString, Matches, Max, Min } from 'class-validator';

export class RegisterPatientDto {
  @ApiProperty({ description: 'NIR/INS, 13 characters and a 2-digit key; checked, hashed, never stored' })
  @IsString({ message: 'must be a string' })
  nir!: string;
  @ApiProperty({ example: '1984-12-01' }) @IsString() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' }) birthDate!: string;
  @ApiProperty({ enum: ['F', 'M'] }) @IsIn(['F', 'M'], { message: 'must be F or M' }) sex!: 'F' | 'M';
  @ApiProperty({ example: 70 }) @IsNumber({}, { message: 'must be a positive number' }) @Min(0.5, { message: 'must be a positive number' }) @Max(400, { message: 'must be at most 400' }) weightKg!: number;
}

export interface PatientResponse {
  pseudonym: string;
  birthDate: string;
  sex: string;
  weightKg: number;
}
