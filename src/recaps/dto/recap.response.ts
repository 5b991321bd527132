import { ApiProperty } from '@nestjs/swagger';
import { ApiDateProperty, ApiFinessProperty, ApiInstantProperty, ApiPeriodProperty, ApiPseudonymProperty, ApiUuidProperty } from '../../common/openapi/schema-formats';

/** SPEC §11 `POST /recaps` → `{ id, lines, accepted }`, plus what the recap is for. */
export class RecapSubmittedDto {
  @ApiUuidProperty() id!: string;
  @ApiProperty({ type: 'integer', example: 12, description: 'lines read' }) lines!: number;
  @ApiProperty({ type: 'integer', example: 12, description: 'lines accepted (a recap is accepted or refused whole)' }) accepted!: number;
  @ApiFinessProperty() establishment!: string;
  @ApiProperty({ example: 'NULOJIX' }) medicine!: string;
  @ApiPeriodProperty() period!: string;
  @ApiProperty({ description: "sent after the period's recap deadline" }) late!: boolean;
  @ApiUuidProperty({ nullable: true, description: 'the recap this one replaced' }) replaced!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the reconciliation re-run a late recap queued (a job run id)' }) reconciliationJob!: string | null;
}

export class RecapSummaryDto {
  @ApiUuidProperty() id!: string;
  @ApiFinessProperty() establishment!: string;
  @ApiProperty({ example: 'NULOJIX' }) medicine!: string;
  @ApiPeriodProperty() period!: string;
  @ApiProperty({ type: 'integer', example: 12 }) lines!: number;
  @ApiProperty({ type: 'integer', example: 14 }) administrations!: number;
  @ApiProperty({ type: 'integer', example: 28 }) vials!: number;
  @ApiProperty({ enum: ['json', 'csv'] }) source!: string;
  @ApiProperty() late!: boolean;
  @ApiInstantProperty() submittedAt!: string;
  @ApiProperty({ example: 'pui-759900012', description: 'the username of who sent it' }) submittedBy!: string;
}

export class RecapLineResponseDto {
  @ApiProperty({ type: 'integer', example: 1, description: "the line's number in the recap (1 first)" }) line!: number;
  @ApiPseudonymProperty({ description: 'a pseudonym (a NIR is never stored)' }) patient!: string;
  @ApiProperty({ type: 'integer', example: 1 }) administrations!: number;
  @ApiDateProperty({ isArray: true, nullable: true, description: 'the dates, when the recap gave them' }) administrationDates!: string[] | null;
  @ApiProperty({ type: 'integer', example: 2 }) vials!: number;
}

export class RecapLinePageDto {
  @ApiProperty({ type: () => [RecapLineResponseDto] }) items!: RecapLineResponseDto[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page of lines; null on the last' }) nextCursor!: string | null;
}

export class RecapDetailDto extends RecapSummaryDto {
  @ApiProperty({ type: () => RecapLinePageDto, description: 'the lines, paginated by `limit` and `cursor`' }) patients!: RecapLinePageDto;
}

export class RecapPageDto {
  @ApiProperty({ type: () => [RecapSummaryDto] }) items!: RecapSummaryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page; null on the last' }) nextCursor!: string | null;
}
