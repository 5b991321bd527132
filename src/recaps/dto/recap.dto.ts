import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page';
import { IsFiness, IsPeriod, PERIOD_PATTERN } from '../../common/validation/domain-validators';
import type { RecapLineResponseDto, RecapSubmittedDto, RecapSummaryDto } from './recap.response';

/** `?medicine=&period=` on POST: what the recap must be for (every line is checked against it). */
export class RecapTargetQueryDto {
  @ApiPropertyOptional({ example: 'NULOJIX' }) @IsOptional() @IsString() @MaxLength(40) medicine?: string;
  @ApiPropertyOptional({ example: '2023-04' }) @IsOptional() @IsPeriod() period?: string;
}

export class RecapsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'NULOJIX' }) @IsOptional() @IsString() @MaxLength(40) medicine?: string;
  @ApiPropertyOptional() @IsOptional() @IsPeriod() period?: string;
  @ApiPropertyOptional({ description: 'the agency and the lab: one establishment' }) @IsOptional() @IsFiness() establishment?: string;
}

/** One patient line of the JSON recap. */
export class RecapLineDoc {
  @ApiProperty({ example: 'P-7KQ2M9XW4T', description: 'a NIR (hashed on arrival, never stored) or a pseudonym' }) patient!: string;
  @ApiProperty({ oneOf: [{ type: 'integer', minimum: 0 }, { type: 'array', items: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } }], example: 1, description: 'a count, or the dates YYYY-MM-DD' })
  administrations!: number | string[];
  @ApiProperty({ type: 'integer', minimum: 0, example: 2 }) vials!: number;
}

/** The JSON form of POST /api/v1/recaps (SPEC §11); checked by validateRecapJson, which names each bad field. */
export class SubmitRecapJsonDoc {
  @ApiProperty({ example: 'NULOJIX' }) medicine!: string;
  @ApiProperty({ example: '2023-04', pattern: PERIOD_PATTERN }) period!: string;
  @ApiProperty({ type: () => [RecapLineDoc] }) patients!: RecapLineDoc[];
}

/** The answers' shapes are the response classes (documented in OpenAPI); these names stay for their users. */
export type RecapSubmitted = RecapSubmittedDto;
export type RecapSummary = RecapSummaryDto;
export type RecapLineResponse = RecapLineResponseDto;
