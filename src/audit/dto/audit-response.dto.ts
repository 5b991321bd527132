import { ApiProperty } from '@nestjs/swagger';
import { FinessProperty, InstantProperty } from '../../common/openapi/properties';

const HASH = { pattern: '^[0-9a-f]{64}$', example: 'a3f1c2d4e5b6a7980123456789abcdef0123456789abcdef0123456789abcdef' };

/** One event of the audit chain (SPEC §8). `before`/`after` never hold a raw NIR. */
export class AuditEventDto {
  @ApiProperty({ type: 'integer', minimum: 1, example: 42 }) seq!: number;
  @InstantProperty() at!: string;
  @ApiProperty({ example: '3f0c1d2e-4b5a-4c6d-8e7f-0a1b2c3d4e5f', description: 'the user id, or "system" for a job' }) actorId!: string;
  @ApiProperty({ example: 'agency' }) actorName!: string;
  @ApiProperty({ example: 'agency' }) role!: string;
  @FinessProperty({ nullable: true }) establishment!: string | null;
  @ApiProperty({ example: 'policy.published' }) action!: string;
  @ApiProperty({ example: 'policy' }) entity!: string;
  @ApiProperty({ example: 'NULOJIX/v7' }) entityId!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'the state before (null for a creation)' }) before!: object | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'the state after (null for a removal)' }) after!: object | null;
  @ApiProperty(HASH) prevHash!: string;
  @ApiProperty(HASH) hash!: string;
}

/** A signed checkpoint of the chain (`GET /audit/checkpoint`, `POST /audit/checkpoints`). */
export class CheckpointResponseDto {
  @ApiProperty({ type: 'integer', minimum: 0, example: 42 }) seq!: number;
  @ApiProperty(HASH) hash!: string;
  @InstantProperty() at!: string;
  @ApiProperty({ format: 'byte', description: 'Ed25519 signature, base64' }) signature!: string;
  @ApiProperty({ format: 'byte', description: 'the raw Ed25519 public key, base64' }) publicKey!: string;
  @ApiProperty({ description: 'how to check it offline' }) note!: string;
}

export class CheckpointVerificationDto {
  @ApiProperty({ type: 'integer', minimum: 0 }) seq!: number;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
}

/** `POST /audit/verify`: whether the chain verifies, and extends the checkpoint given (or the latest stored). */
export class AuditVerificationDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'events checked' }) events!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'seq of the first broken event' }) firstBrokenAt!: number | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: CheckpointVerificationDto, nullable: true }) checkpoint!: CheckpointVerificationDto | null;
}
