import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { IsPeriod } from '../../common/validation/domain-validators';

export class DeclareSupplyDto {
  @ApiProperty({ example: '2023-03' }) @IsPeriod() period!: string;
  @ApiProperty({ example: 10, description: 'extra initiations the lab can supply for the period' })
  @IsInt({ message: 'must be a positive integer' }) @Min(1, { message: 'must be a positive integer' }) @Max(100000) initiations!: number;
}
