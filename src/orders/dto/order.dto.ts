import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page';
import { IsPeriod } from '../../common/validation/domain-validators';
import { ORDER_STATUSES, type OrderLineResponseDto, type OrderResponseDto } from './order.response';

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

export class ListOrdersQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) medicine?: string;
  @ApiPropertyOptional() @IsOptional() @IsString(PERIOD_MESSAGE) @IsPeriod() period?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(9) establishment?: string;
  @ApiPropertyOptional({ enum: ORDER_STATUSES }) @IsOptional() @IsIn(ORDER_STATUSES, { message: `must be one of ${ORDER_STATUSES.join(', ')}` }) status?: (typeof ORDER_STATUSES)[number];
}

/** The answers' shapes are the response classes (documented in OpenAPI); these names stay for their users. */
export type OrderLineResponse = OrderLineResponseDto;
export type OrderResponse = OrderResponseDto;
