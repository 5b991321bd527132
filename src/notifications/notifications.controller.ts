import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { ApiPageResponse } from '../common/openapi/properties';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor } from '../common/domain/roles';
import { Page } from '../common/pagination/page';
import { DeliveriesService } from './deliveries.service';
import { DeliveryViewDto, InboxQueryDto, NotificationChoicesResponseDto, NotificationResponseDto, ReadAllDto, SetNotificationChoicesDto, UnreadCountDto } from './dto/notifications.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1')
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly deliveries: DeliveriesService,
  ) {}

  @Get('notifications')
  @ApiPageResponse(NotificationResponseDto, "the caller's inbox, the newest first")
  inbox(@CurrentActor() actor: Actor, @Query() query: InboxQueryDto): Promise<Page<NotificationResponseDto>> {
    return this.notifications.inbox(actor, query);
  }

  @Get('notifications/unread-count')
  @ApiOkResponse({ type: UnreadCountDto })
  async unread(@CurrentActor() actor: Actor): Promise<UnreadCountDto> {
    return { unread: await this.notifications.unreadCount(actor) };
  }

  @Post('notifications/read-all')
  @HttpCode(200)
  @ApiOkResponse({ type: ReadAllDto })
  readAll(@CurrentActor() actor: Actor): Promise<ReadAllDto> {
    return this.notifications.markAllRead(actor);
  }

  @Post('notifications/:id/read')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationResponseDto })
  @ApiProblems({ 404: ['NOTIFICATION_NOT_FOUND'] })
  read(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string): Promise<NotificationResponseDto> {
    return this.notifications.markRead(actor, id);
  }

  @Get('notifications/deliveries')
  @Roles('agency')
  @ApiPageResponse(DeliveryViewDto, 'the e-mail deliveries and their attempts')
  history(@Query() query: InboxQueryDto): Promise<Page<DeliveryViewDto>> {
    return this.deliveries.list(query);
  }

  @Put('me/notifications')
  @ApiOkResponse({ type: NotificationChoicesResponseDto })
  @ApiProblems({ 422: ['NOTIFICATION_LOCKED', 'NOTIFICATION_KIND_UNKNOWN'] })
  choose(@CurrentActor() actor: Actor, @Body() dto: SetNotificationChoicesDto): Promise<NotificationChoicesResponseDto> {
    return this.notifications.choose(actor, dto.notifications, dto.language);
  }
}
