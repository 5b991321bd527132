import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { ConfirmOrderDto, CreateOrderDto, ListOrdersQueryDto, ReduceOrderDto, RefuseOrderDto } from './dto/order.dto';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { OrderPageDto, OrderResponseDto } from './dto/order.response';
import { OrdersService } from './orders.service';

const ApiOrderId = (): MethodDecorator => ApiParam({ name: 'id', description: 'the order id', schema: { type: 'string', format: 'uuid' } });

@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/v1/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @Roles('pharmacist')
  @ApiCreatedResponse({ type: OrderResponseDto, description: '`submitted`, or `flagged` with the flags that explain it' })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'], 404: ['MEDICINE_NOT_FOUND'], 409: ['ORDER_DUPLICATE'], 422: ['ORDER_QUANTITY_INVALID', 'ORDER_PERIOD_OUT_OF_WINDOW', 'ORDER_JUSTIFICATION_REQUIRED', 'ORDER_DUPLICATE_LINE', 'ORDER_LINE_PATIENT_UNKNOWN', 'POLICY_NOT_IN_FORCE', 'DOSING_SCHEDULE_INVALID'] })
  create(@CurrentActor() actor: Actor, @Body() body: CreateOrderDto): Promise<OrderResponseDto> {
    return this.orders.create(actor, body);
  }

  @Get()
  @Roles('pharmacist', 'lab', 'agency')
  @ApiOkResponse({ type: OrderPageDto, description: 'scoped to the caller; without the lines' })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'] })
  list(@CurrentActor() actor: Actor, @Query() query: ListOrdersQueryDto): Promise<OrderPageDto> {
    return this.orders.list(actor, query);
  }

  @Get(':id')
  @Roles('pharmacist', 'lab', 'agency')
  @ApiOrderId()
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiProblems({ 403: ['ROLE_NOT_ALLOWED'], 404: ['ORDER_NOT_FOUND'] })
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<OrderResponseDto> {
    return this.orders.get(actor, id);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Roles('lab')
  @ApiOrderId()
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'], 404: ['ORDER_NOT_FOUND'], 409: ['ORDER_ALREADY_DECIDED'] })
  confirm(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() _body: ConfirmOrderDto): Promise<OrderResponseDto> {
    return this.orders.confirm(actor, id);
  }

  @Post(':id/reduce')
  @HttpCode(200)
  @Roles('lab')
  @ApiOrderId()
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'], 404: ['ORDER_NOT_FOUND'], 409: ['ORDER_ALREADY_DECIDED'], 422: ['ORDER_QUANTITY_INVALID', 'REDUCE_ABOVE_ORDERED', 'REDUCE_TO_ZERO', 'DECISION_REASON_REQUIRED'] })
  reduce(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: ReduceOrderDto): Promise<OrderResponseDto> {
    return this.orders.reduce(actor, id, body.quantity, body.reason);
  }

  @Post(':id/refuse')
  @HttpCode(200)
  @Roles('lab')
  @ApiOrderId()
  @ApiOkResponse({ type: OrderResponseDto })
  @ApiProblems({ 400: ['VALIDATION_FAILED'], 403: ['ROLE_NOT_ALLOWED'], 404: ['ORDER_NOT_FOUND'], 409: ['ORDER_ALREADY_DECIDED'], 422: ['DECISION_REASON_REQUIRED'] })
  refuse(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: RefuseOrderDto): Promise<OrderResponseDto> {
    return this.orders.refuse(actor, id, body.reason);
  }
}
