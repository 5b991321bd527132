import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_CODES } from '../../common/domain/notification-events';
import { ROLES } from '../../common/domain/roles';
import { FinessProperty, UuidProperty } from '../../common/openapi/properties';

/** A user as `GET /api/v1/users` lists them (never a password hash). */
export class UserResponseDto {
  @UuidProperty() id!: string;
  @ApiProperty({ example: 'pui-759900012' }) username!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @FinessProperty({ nullable: true, description: 'the establishment of a pharmacist, prescriber or committee member' }) establishment!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'nephrology' }) specialty!: string | null;
  @ApiProperty({ example: 'Pharmacie Necker' }) displayName!: string;
  @ApiProperty({ type: String, nullable: true, format: 'email', example: 'pui@example.org' }) email!: string | null;
  @ApiProperty({ enum: ['fr', 'en'] }) language!: string;
}

export class NotificationChoiceResponseDto {
  @ApiProperty({ enum: NOTIFICATION_CODES }) code!: (typeof NOTIFICATION_CODES)[number];
  @ApiProperty({ enum: ['immediate', 'digest', 'off'] }) mode!: 'immediate' | 'digest' | 'off';
  @ApiProperty({ description: "the committee's urgent requests cannot be switched off" }) locked!: boolean;
}

/** `GET /api/v1/me`: the caller with their notification choices. */
export class MeResponseDto extends UserResponseDto {
  @ApiProperty({ type: [NotificationChoiceResponseDto] }) notifications!: NotificationChoiceResponseDto[];
}
