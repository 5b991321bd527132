import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { ApiDateProperty } from '../../common/openapi/schema-formats';
import { ORGANS } from '../domain/report-tables-efficacy';

const FREE_OBJECT = { type: 'object', additionalProperties: true } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;

export class NumericSummaryDto {
  @ApiProperty(COUNT) n!: number;
  @ApiProperty({ type: Number, nullable: true }) mean!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'sample standard deviation; null below 2 values' }) sd!: number | null;
  @ApiProperty({ type: Number, nullable: true }) median!: number | null;
  @ApiProperty({ type: Number, nullable: true }) q1!: number | null;
  @ApiProperty({ type: Number, nullable: true }) q3!: number | null;
  @ApiProperty({ type: Number, nullable: true }) min!: number | null;
  @ApiProperty({ type: Number, nullable: true }) max!: number | null;
  @ApiProperty(COUNT) missing!: number;
}

export class ReportPeriodDto {
  @ApiDateProperty() from!: string;
  @ApiDateProperty() to!: string;
  @ApiDateProperty() cutoff!: string;
}

export class ReportRequestsDto {
  @ApiProperty(COUNT) received!: number;
  @ApiProperty(COUNT) excluded!: number;
  @ApiProperty(COUNT) pending!: number;
  @ApiProperty(COUNT) accepted!: number;
  @ApiProperty(COUNT) refused!: number;
  @ApiProperty({ ...COUNT, description: 'requests of earlier periods still counted' }) carriedOver!: number;
}

export class ReportPatientsDto {
  @ApiProperty(COUNT) included!: number;
  @ApiProperty(COUNT) exposed!: number;
  @ApiProperty({ type: Number, nullable: true }) exposedPercent!: number | null;
  @ApiProperty({ type: Number, nullable: true }) medianFollowUpMonths!: number | null;
  @ApiProperty({ type: () => NumericSummaryDto, description: 'follow-up of the exposed from the request date to the last form, in months' }) followUpMonths!: NumericSummaryDto;
}

export class ReportFormDto {
  @ApiProperty({ example: 'M3' }) form!: string;
  @ApiProperty(COUNT) received!: number;
  @ApiProperty(COUNT) expected!: number;
  @ApiProperty({ type: Number, nullable: true }) percent!: number | null;
}

export class ExpectednessDto {
  @ApiProperty(COUNT) expected!: number;
  @ApiProperty(COUNT) unexpected!: number;
}

export class ReportAdverseEventsDto {
  @ApiProperty(COUNT) total!: number;
  @ApiProperty({ type: () => ExpectednessDto }) serious!: ExpectednessDto;
  @ApiProperty({ type: () => ExpectednessDto }) nonSerious!: ExpectednessDto;
}

export class GroupCountsDto {
  @ApiProperty(COUNT) total!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } }) byRegion!: Record<string, number>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { CHU: 3, CHG: 1 } }) byCategory!: Record<string, number>;
}

export class SurvivalStepDto {
  @ApiProperty() time!: number;
  @ApiProperty(COUNT) atRisk!: number;
  @ApiProperty(COUNT) events!: number;
  @ApiProperty(COUNT) censored!: number;
  @ApiProperty() survival!: number;
}

export class SurvivalAtDto {
  @ApiProperty() time!: number;
  @ApiProperty({ type: Number, nullable: true }) survival!: number | null;
}

export class SurvivalDto {
  @ApiProperty({ enum: ['months'] }) unit!: 'months';
  @ApiProperty(COUNT) n!: number;
  @ApiProperty(COUNT) events!: number;
  @ApiProperty({ type: () => [SurvivalStepDto] }) steps!: SurvivalStepDto[];
  @ApiProperty({ type: () => SurvivalAtDto }) at!: SurvivalAtDto;
}

export class CategoryCountDto {
  @ApiProperty(COUNT) n!: number;
  @ApiProperty({ type: Number, nullable: true }) percent!: number | null;
}

const CATEGORY = { type: 'object', additionalProperties: { $ref: getSchemaPath(CategoryCountDto) } } as const;
const CATEGORIES = { type: 'object', additionalProperties: { type: 'object', additionalProperties: { $ref: getSchemaPath(CategoryCountDto) } } } as const;

export class StopReasonsDto {
  @ApiProperty(COUNT) total!: number;
  @ApiProperty({ ...CATEGORY, description: 'reason → { n, percent }' }) byReason!: Record<string, CategoryCountDto>;
}

/** Tableau 5: an included patient whose prior lines lack corticosteroids or ruxolitinib, with those lines. */
export class PriorLinesListingDto {
  @ApiProperty({ example: 'P-7KQ2M9XW4T', description: "the patient's pseudonym" }) patient!: string;
  @ApiProperty({ type: [String], example: ['RUXOLITINIB', 'METHOTREXATE'] }) lines!: string[];
}

/** Tableau 9, one row: an organ's evolution (or, for `other`, the organ named). */
export class EfficacyRowDto {
  @ApiProperty({ enum: ORGANS }) organ!: string;
  @ApiProperty({ required: false, description: 'for the organ `other`: the organ named' }) name?: string;
  @ApiProperty({ ...FREE_OBJECT, description: 'missing, then response → { n, percent }' }) counts!: object;
}

/** Tableau 10, one row: a symptom of the Lee scale. */
export class QualityOfLifeRowDto {
  @ApiProperty({ example: 'YEUX ET BOUCHE' }) dimension!: string;
  @ApiProperty({ example: 'dry_eyes' }) item!: string;
  @ApiProperty({ ...FREE_OBJECT, description: 'missing, then severity → { n, percent }' }) counts!: object;
}

export class EfficacyVisitDto {
  @ApiProperty({ example: 'M3' }) visit!: string;
  @ApiProperty({ type: () => [EfficacyRowDto] }) rows!: EfficacyRowDto[];
}

export class QualityOfLifeVisitDto {
  @ApiProperty({ example: 'M3' }) visit!: string;
  @ApiProperty({ type: () => [QualityOfLifeRowDto] }) rows!: QualityOfLifeRowDto[];
}

/** Tableaux 9 and 10 of the seed report, per visit, over the exposed patients with at least one follow-up form. */
export class EfficacyTablesDto {
  @ApiProperty(COUNT) population!: number;
  @ApiProperty({ type: () => [EfficacyVisitDto], nullable: true, description: 'null when no form carries organResponses' }) clinicalResponse!: EfficacyVisitDto[] | null;
  @ApiProperty({ type: () => [QualityOfLifeVisitDto], nullable: true, description: 'null when no form carries leeSymptoms' }) qualityOfLife!: QualityOfLifeVisitDto[] | null;
}

/** SPEC §9/§11 periodic report (`GET /medicines/{code}/reports`), as JSON; the seed report's tables in their own members. */
@ApiExtraModels(CategoryCountDto)
export class AccessReportResponseDto {
  @ApiProperty({ example: 'REZUROCK' }) medicine!: string;
  @ApiProperty({ example: 'Rezurock 200 mg' }) medicineName!: string;
  @ApiProperty({ example: 'belumosudil' }) scheme!: string;
  @ApiProperty({ type: () => ReportPeriodDto }) period!: ReportPeriodDto;
  @ApiProperty({ type: () => ReportRequestsDto }) requests!: ReportRequestsDto;
  @ApiProperty({ type: () => ReportPatientsDto }) patients!: ReportPatientsDto;
  @ApiProperty({ ...FREE_OBJECT, description: "the patients' characteristics tables" }) characteristics!: object;
  @ApiProperty({ ...FREE_OBJECT, description: 'prescribers and centres that included patients (by specialty, region, category)' }) inclusions!: object;
  @ApiProperty({ ...FREE_OBJECT, description: 'conditions of use: doses, interruptions, dose changes' }) conditionsOfUse!: object;
  @ApiProperty({ type: () => NumericSummaryDto, nullable: true }) injectionsPerPatient!: NumericSummaryDto | null;
  @ApiProperty({ type: () => StopReasonsDto, description: 'a stop counted once for each of its reasons' }) stopReasons!: StopReasonsDto;
  @ApiProperty({ ...FREE_OBJECT, description: 'pharmacovigilance cases by seriousness, expectedness, SOC and PT' }) pharmacovigilance!: object;
  @ApiProperty({ ...COUNT, description: 'included patients authorised by derogation' }) derogations!: number;
  @ApiProperty({ type: () => [PriorLinesListingDto], description: 'Tableau 5: the included whose prior lines lack corticosteroids or ruxolitinib' }) priorLinesListing!: PriorLinesListingDto[];
  @ApiProperty({ type: () => EfficacyTablesDto, description: 'Tableaux 9 (clinical response) and 10 (quality of life)' }) efficacy!: EfficacyTablesDto;
  @ApiProperty({ type: () => [ReportFormDto] }) forms!: ReportFormDto[];
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/NumericSummaryDto' }, description: 'variable name → its summary' }) variables!: Record<string, NumericSummaryDto>;
  @ApiProperty({ type: 'object', additionalProperties: CATEGORIES.additionalProperties, description: 'category name → value → { n, percent }' }) categories!: object;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, required: ['total'], properties: { total: { type: 'integer' } }, description: 'stops by reason, and their total' }) stops!: object;
  @ApiProperty({ type: () => ReportAdverseEventsDto }) adverseEvents!: ReportAdverseEventsDto;
  @ApiProperty({ type: () => GroupCountsDto }) prescribers!: GroupCountsDto;
  @ApiProperty({ type: () => GroupCountsDto }) centres!: GroupCountsDto;
  @ApiProperty({ type: () => SurvivalDto, description: 'Kaplan–Meier survival of the exposed' }) survival!: SurvivalDto;
}
