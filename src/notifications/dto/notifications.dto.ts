import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { NOTIFICATION_CODES } from '../../common/domain/notification-events';
import { InstantProperty, UuidProperty } from '../../common/openapi/properties';
import { PageQueryDto } from '../../common/pagination/page';
import { NotificationChoiceResponseDto } from '../../auth/dto/user.dto';
import { DELIVERY_MODES } from '../domain/notification-rules';

export class InboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'only the unread ones' })
  @IsOptional() @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean({ message: 'must be true or false' }) unread?: boolean;
}

export class NotificationChoiceDto {
  @ApiProperty({ enum: NOTIFICATION_CODES }) @IsIn(NOTIFICATION_CODES, { message: 'must be a notification kind' }) code!: string;
  @ApiProperty({ enum: DELIVERY_MODES }) @IsIn(DELIVERY_MODES, { message: 'must be immediate, digest or off' }) mode!: 'immediate' | 'digest' | 'off';
}

export class SetNotificationChoicesDto {
  @ApiPropertyOptional({ enum: ['fr', 'en'] }) @IsOptional() @IsIn(['fr', 'en'], { message: 'must be fr or en' }) language?: 'fr' | 'en';
  @ApiProperty({ type: [NotificationChoiceDto] }) @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => NotificationChoiceDto) notifications!: NotificationChoiceDto[];
}

/** One notification of the caller's inbox, its sentences in the caller's language. */
export class NotificationResponseDto {
  @UuidProperty() id!: string;
  @ApiProperty({ enum: NOTIFICATION_CODES }) code!: (typeof NOTIFICATION_CODES)[number];
  @ApiProperty({ example: 'Urgent request to review' }) subject!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ example: '/committee', description: 'the page to open' }) link!: string;
  @ApiProperty({ type: 'object', additionalProperties: { anyOf: [{ type: 'number' }, { type: 'string', nullable: true }] }, description: 'the parameters of the sentences' }) params!: Record<string, string | number | null>;
  @InstantProperty() createdAt!: string;
  @InstantProperty({ nullable: true }) readAt!: string | null;
}

export class UnreadCountDto {
  @ApiProperty({ type: 'integer', minimum: 0 }) unread!: number;
}

export class ReadAllDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'notifications marked read' }) read!: number;
}

export class DeliveryAttemptDto {
  @ApiProperty({ type: 'integer', minimum: 1 }) attempt!: number;
  @ApiProperty() worker!: string;
  @InstantProperty() startedAt!: string;
  @InstantProperty({ nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) outcome!: string | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}

/** One e-mail delivery and its attempts (agency). */
export class DeliveryViewDto {
  @UuidProperty() id!: string;
  @ApiProperty() key!: string;
  @ApiProperty({ enum: DELIVERY_MODES }) mode!: string;
  @ApiProperty({ example: 'sent' }) state!: string;
  @ApiProperty({ type: [DeliveryAttemptDto] }) attempts!: DeliveryAttemptDto[];
  @InstantProperty({ nullable: true }) sentAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @InstantProperty() createdAt!: string;
}

/** `PUT /me/notifications`: the caller's language and every choice after the change. */
export class NotificationChoicesResponseDto {
  @ApiProperty({ enum: ['fr', 'en'] }) language!: string;
  @ApiProperty({ type: [NotificationChoiceResponseDto] }) notifications!: NotificationChoiceResponseDto[];
}
