import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBase64, IsISO8601, IsInt, IsOptional, IsString, Matches, MaxLength, Min, ValidateNested } from 'class-validator';

/** A checkpoint as exported by GET /audit/checkpoint (its `note` may come along and is ignored). */
export class CheckpointDto {
  @ApiProperty() @IsInt() @Min(0) seq!: number;
  @ApiProperty() @IsString() @Matches(/^[0-9a-f]{64}$/, { message: 'must be 64 lowercase hexadecimal digits' }) hash!: string;
  @ApiProperty() @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 instant' }) at!: string;
  @ApiProperty() @IsString() @MaxLength(100) @IsBase64(undefined, { message: 'must be base64' }) signature!: string;
  @ApiProperty() @IsString() @MaxLength(60) @IsBase64(undefined, { message: 'must be base64' }) publicKey!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class VerifyAuditDto {
  @ApiPropertyOptional({ type: CheckpointDto }) @IsOptional() @ValidateNested() @Type(() => CheckpointDto) checkpoint?: CheckpointDto;
}
