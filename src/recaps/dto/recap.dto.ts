import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page';
import { IsFiness, IsPeriod } from '../../common/validation/domain-validators';
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

/** The JSON form of POST /api/v1/recaps (SPEC §11); checked by validateRecapJson, which names each bad field. */
export class SubmitRecapJsonDoc {
  @ApiProperty({ example: 'NULOJIX' }) medicine!: string;
  @ApiProperty({ example: '2023-04' }) period!: string;
  @ApiProperty({ example: [{ patient: 'P-7KQ2M9XW4T', administrations: 1, vials: 2 }], description: 'patient: a NIR (hashed on arrival, never stored) or a pseudonym; administrations: a count or dates YYYY-MM-DD' })
  patients!: { patient: string; administrations: number | string[]; vials: number }[];
}

/** The answers' shapes are the response classes (documented in OpenAPI); these names stay for their users. */
export type RecapSubmitted = RecapSubmittedDto;
export type RecapSummary = RecapSummaryDto;
export type RecapLineResponse = RecapLineResponseDto;
