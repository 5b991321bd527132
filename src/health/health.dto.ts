import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class ComponentStateDto {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiPropertyOptional({ enum: ['DATABASE_UNAVAILABLE', 'JOB_QUEUE_UNAVAILABLE'], description: 'when down: the code of the 503 problems its outage gives' }) code?: string;
  @ApiPropertyOptional({ enum: ['full', 'io', 'unreachable', 'busy'], description: 'when down: no space left, storage failing, no connection, or locked' }) reason?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'when down after a failed write: when it failed' }) since?: string;
}

export class DatabaseHealthDto extends ComponentStateDto {
  @ApiProperty({ enum: ['sqlite', 'postgres'] }) engine!: 'sqlite' | 'postgres';
}

export class QueueHealthDto extends ComponentStateDto {
  @ApiProperty({ enum: ['redis', 'in-process'] }) mode!: 'redis' | 'in-process';
}

export class HealthComponentsDto {
  @ApiProperty({ type: DatabaseHealthDto }) database!: DatabaseHealthDto;
  @ApiProperty({ type: QueueHealthDto }) queue!: QueueHealthDto;
}

/** GET /api/v1/health: 200 when every component is up, 503 (same body) when one is down. */
export class HealthDto {
  @ApiProperty({ enum: ['ok', 'error'] }) status!: 'ok' | 'error';
  @ApiProperty({ type: HealthComponentsDto }) info!: HealthComponentsDto;
}
