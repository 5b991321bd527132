import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page';
import { REQUEST_STATUSES, RequestStatus } from '../entities/initiation-request.entity';
import { IsPeriod } from '../../common/validation/domain-validators';

export class CreateInitiationRequestDto {
  @ApiProperty({ example: 'NULOJIX' }) @IsString({ message: 'must be a string' }) @IsNotEmpty({ message: 'must not be empty' }) @MaxLength(40) medicine!: string;
  @ApiProperty({ example: 'chronic-dysfunction-cni' }) @IsString({ message: 'must be a string' }) @IsNotEmpty({ message: 'must not be empty' }) @MaxLength(60) indication!: string;
  @ApiProperty({ description: 'the patient pseudonym' }) @IsString({ message: 'must be a string' }) @IsNotEmpty({ message: 'must not be empty' }) @MaxLength(12) patient!: string;
  @ApiProperty() @IsString({ message: 'must be a string' }) @IsNotEmpty({ message: 'must not be empty' }) @MaxLength(10000) justification!: string;
  @ApiProperty({ example: 72 }) @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'must be a positive number' }) @Min(0.5, { message: 'must be a positive number' }) @Max(400, { message: 'must be at most 400' }) weightKg!: number;
}

export class ListInitiationRequestsDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) medicine?: string;
  @ApiPropertyOptional({ example: '2023-05' }) @IsOptional() @IsPeriod() period?: string;
  @ApiPropertyOptional({ enum: REQUEST_STATUSES }) @IsOptional() @IsIn([...REQUEST_STATUSES], { message: `must be one of ${REQUEST_STATUSES.join(', ')}` }) status?: RequestStatus;
}

export class VoteDto {
  @ApiProperty({ enum: ['approve', 'reject'] }) @IsIn(['approve', 'reject'], { message: 'must be approve or reject' }) decision!: 'approve' | 'reject';
  @ApiProperty() @IsString({ message: 'must be a string' }) @IsNotEmpty({ message: 'must not be empty' }) @MaxLength(10000) rationale!: string;
}

export class RankDto {
  @ApiProperty({ example: 1 }) @IsInt({ message: 'must be a positive integer' }) @Min(1, { message: 'must be a positive integer' }) @Max(100000) rank!: number;
}

export class EmptyDto {}

export interface VoteResponse {
  decision: string;
  rationale: string;
  votedAt: string;
}

export interface InitiationRequestResponse {
  id: string;
  medicine: string;
  indication: string;
  kind: string;
  patient: string;
  establishment: string;
  status: RequestStatus;
  period: string;
  policyVersion: number;
  reason: { code: string; message: string; params: object | null };
  rank: number | null;
  justification: string;
  weightKg: number;
  submittedAt: string;
  deadline: string | null;
  decidedAt: string | null;
  grantedAt: string | null;
  startDate: string | null;
  treatment: string | null;
  votes: VoteResponse[];
}

export interface CommitteeQueueItem {
  id: string;
  medicine: string;
  patient: string;
  indication: string;
  justification: string;
  weightKg: number;
  submittedAt: string;
  deadline: string | null;
  overdue: boolean;
  votesRequired: number;
  votes: VoteResponse[];
  votedByMe: boolean;
}
