import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { ConfirmOrderDto, CreateOrderDto, ListOrdersQueryDto, ReduceOrderDto, RefuseOrderDto } from './dto/order.dto';
import { OrdersService } from './orders.service';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/v1/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @Roles('pharmacist')
  create(@CurrentActor() actor: Actor, @Body() body: CreateOrderDto): ReturnType<OrdersService['create']> {
    return this.orders.create(actor, body);
  }

  @Get()
  @Roles('pharmacist', 'lab', 'agency')
  list(@CurrentActor() actor: Actor, @Query() query: ListOrdersQueryDto): ReturnType<OrdersService['list']> {
    return this.orders.list(actor, query);
  }

  @Get(':id')
  @Roles('pharmacist', 'lab', 'agency')
  get(@CurrentActor() actor: Actor, @Param('id') id: string): ReturnType<OrdersService['get']> {
    return this.orders.get(actor, id);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Roles('lab')
  confirm(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() _body: ConfirmOrderDto): ReturnType<OrdersService['confirm']> {
    return this.orders.confirm(actor, id);
  }

  @Post(':id/reduce')
  @HttpCode(200)
  @Roles('lab')
  reduce(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: ReduceOrderDto): ReturnType<OrdersService['reduce']> {
    return this.orders.reduce(actor, id, body.quantity, body.reason);
  }

  @Post(':id/refuse')
  @HttpCode(200)
  @Roles('lab')
  refuse(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: RefuseOrderDto): ReturnType<OrdersService['refuse']> {
    return this.orders.refuse(actor, id, body.reason);
  }
}
