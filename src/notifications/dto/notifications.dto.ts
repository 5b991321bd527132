import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { NOTIFICATION_CODES } from '../../common/domain/notification-events';
import { PageQueryDto } from '../../common/pagination/page';
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
