import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page';
import { IsPeriod } from '../../common/validation/domain-validators';

const PERIOD_MESSAGE = { message: 'must be a period YYYY-MM' };

export class OrderLineDto {
  @ApiProperty({ description: 'Pseudonym of a treated patient' }) @IsString({ message: 'must be a pseudonym' }) @MaxLength(12) patient!: string;
}

export class CreateOrderDto {
  @ApiProperty({ example: 'NULOJIX' }) @IsString({ message: 'must be a medicine code' }) @MaxLength(40) medicine!: string;
  @ApiProperty({ example: '2023-11' }) @IsString(PERIOD_MESSAGE) @IsPeriod() period!: string;
  /** Whole vials; the range (at least 1) is a rule of the order (ORDER_QUANTITY_INVALID). */
  @ApiProperty({ example: 10 }) @IsInt({ message: 'must be an integer' }) quantity!: number;
  @ApiProperty({ type: [OrderLineDto] })
  @IsArray({ message: 'must be a list of { patient }' })
  @ArrayMaxSize(5000, { message: 'must have at most 5000 lines' })
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines!: OrderLineDto[];
}

export class ConfirmOrderDto {}

export class ReduceOrderDto {
  @ApiProperty({ example: 10 }) @IsInt({ message: 'must be an integer' }) quantity!: number;
  @ApiProperty() @IsString({ message: 'must be a text' }) @MaxLength(2000, { message: 'must have at most 2000 characters' }) reason!: string;
}

export class RefuseOrderDto {
  @ApiProperty() @IsString({ message: 'must be a text' }) @MaxLength(2000, { message: 'must have at most 2000 characters' }) reason!: string;
}

export const ORDER_STATUSES = ['submitted', 'flagged', 'confirmed', 'reduced', 'refused'] as const;

export class ListOrdersQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) medicine?: string;
  @ApiPropertyOptional() @IsOptional() @IsString(PERIOD_MESSAGE) @IsPeriod() period?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(9) establishment?: string;
  @ApiPropertyOptional({ enum: ORDER_STATUSES }) @IsOptional() @IsIn(ORDER_STATUSES, { message: `must be one of ${ORDER_STATUSES.join(', ')}` }) status?: (typeof ORDER_STATUSES)[number];
}

export interface OrderLineResponse {
  patient: string;
  administrations: string[];
  vials: number;
}

export interface OrderResponse {
  id: string;
  medicine: string;
  establishment: string;
  period: string;
  quantity: number;
  need: number;
  tolerated: number;
  policyVersion: number;
  status: string;
  flags: { code: string; message: string; line?: number; patient?: string }[];
  /** Absent in lists (read one order for its lines). */
  lines?: OrderLineResponse[];
  submittedAt: string;
  decision: { quantity: number; reason: string | null; decidedAt: string } | null;
}
