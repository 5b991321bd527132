import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page';
import { IsFiness, IsPeriod } from '../../common/validation/domain-validators';

/** `?medicine=&period=` on POST: what the recap must be for (every line is checked against it). */
export class RecapTargetQueryDto {
  @ApiPropertyOptional({ example: 'NULOJIX' }) @IsOptional() @IsString() @MaxLength(40) medicine?: string;
  @ApiPropertyOptional({ example: '2023-04' }) @IsOptional() @IsPeriod() period?: string;
}

export class RecapsQueryDto extends PageQueryDto {
  @IsOptional() @IsString() @MaxLength(40) medicine?: string;
  @IsOptional() @IsPeriod() period?: string;
  @IsOptional() @IsFiness() establishment?: string;
}

/** The JSON form of POST /api/v1/recaps (SPEC §11); checked by validateRecapJson, which names each bad field. */
export class SubmitRecapJsonDoc {
  @ApiProperty({ example: 'NULOJIX' }) medicine!: string;
  @ApiProperty({ example: '2023-04' }) period!: string;
  @ApiProperty({ example: [{ patient: 'P-7KQ2M9XW4T', administrations: 1, vials: 2 }], description: 'patient: a NIR (hashed on arrival, never stored) or a pseudonym; administrations: a count or dates YYYY-MM-DD' })
  patients!: { patient: string; administrations: number | string[]; vials: number }[];
}

export interface RecapSubmitted {
  id: string;
  lines: number;
  accepted: number;
  establishment: string;
  medicine: string;
  period: string;
  late: boolean;
  /** The recap this one replaced, if any. */
  replaced: string | null;
  /** The re-run of the reconciliation a late recap queued. */
  reconciliationJob: string | null;
}

export interface RecapSummary {
  id: string;
  establishment: string;
  medicine: string;
  period: string;
  lines: number;
  administrations: number;
  vials: number;
  source: string;
  late: boolean;
  submittedAt: string;
  submittedBy: string;
}

export interface RecapLineResponse {
  line: number;
  patient: string;
  administrations: number;
  administrationDates: string[] | null;
  vials: number;
}
