import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page';
import { REQUEST_STATUSES, RequestStatus } from '../entities/initiation-request.entity';
import { IsPeriod } from '../../common/validation/domain-validators';
import type { CommitteeQueueItemDto, InitiationRequestResponseDto, VoteResponseDto } from './initiation-request.response';

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

/** The answers' shapes are the response classes (documented in OpenAPI); these names stay for their users. */
export type VoteResponse = VoteResponseDto;
export type InitiationRequestResponse = InitiationRequestResponseDto;
export type CommitteeQueueItem = CommitteeQueueItemDto;
