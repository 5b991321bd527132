import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Actor } from '../common/domain/roles';
import type { NotificationChoice } from '../common/contracts/notifier';
import { Page } from '../common/pagination/page';
import { DeliveriesService, DeliveryView } from './deliveries.service';
import { InboxQueryDto, SetNotificationChoicesDto } from './dto/notifications.dto';
import { NotificationResponse, NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1')
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly deliveries: DeliveriesService,
  ) {}

  @Get('notifications')
  inbox(@CurrentActor() actor: Actor, @Query() query: InboxQueryDto): Promise<Page<NotificationResponse>> {
    return this.notifications.inbox(actor, query);
  }

  @Get('notifications/unread-count')
  async unread(@CurrentActor() actor: Actor): Promise<{ unread: number }> {
    return { unread: await this.notifications.unreadCount(actor) };
  }

  @Post('notifications/read-all')
  @HttpCode(200)
  readAll(@CurrentActor() actor: Actor): Promise<{ read: number }> {
    return this.notifications.markAllRead(actor);
  }

  @Post('notifications/:id/read')
  @HttpCode(200)
  read(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string): Promise<NotificationResponse> {
    return this.notifications.markRead(actor, id);
  }

  @Get('notifications/deliveries')
  @Roles('agency')
  history(@Query() query: InboxQueryDto): Promise<Page<DeliveryView>> {
    return this.deliveries.list(query);
  }

  @Put('me/notifications')
  choose(@CurrentActor() actor: Actor, @Body() dto: SetNotificationChoicesDto): Promise<{ language: string; notifications: NotificationChoice[] }> {
    return this.notifications.choose(actor, dto.notifications, dto.language);
  }
}
