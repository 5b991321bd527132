import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min } from 'class-validator';

export class DeclareSupplyDto {
  @ApiProperty({ example: '2023-03' }) @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be a month YYYY-MM' }) period!: string;
  @ApiProperty({ example: 10, description: 'extra initiations the lab can supply for the period' })
  @IsInt({ message: 'must be a positive integer' }) @Min(1, { message: 'must be a positive integer' }) @Max(100000) initiations!: number;
}
