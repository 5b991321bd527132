import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorResult, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/auth.decorators';
import { QUEUE_HEALTH, QueueHealth } from '../common/contracts/queue-health';

@ApiTags('health')
@Controller('api/v1/health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Optional() @Inject(QUEUE_HEALTH) private readonly queue?: QueueHealth,
  ) {}

  @Get()
  @Public()
  @SkipThrottle()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.db.pingCheck('database'),
      async (): Promise<HealthIndicatorResult> => {
        const indicator = this.indicators.check('queue');
        const state = this.queue ? await this.queue.state() : { mode: 'in-process', up: true };
        return state.up ? indicator.up({ mode: state.mode }) : indicator.down({ mode: state.mode });
      },
    ]);
  }
}
