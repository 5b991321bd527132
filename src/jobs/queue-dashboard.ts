import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Application, Request, RequestHandler, Response } from 'express';
import { Authenticator } from '../auth/authenticator';
import { agencyOnly } from './agency-only.middleware';
import { JOB_BACKEND, JobBackend } from './backends/job-backend';
import { BullMqBackend } from './backends/bullmq.backend';

export const DASHBOARD_PATH = '/admin/queues';

/**
 * The agency's queue dashboard at /admin/queues: bull-board over the BullMQ queues, or, with no
 * Redis, a short page saying that jobs run in-process, with their history at /api/v1/jobs.
 */
@Injectable()
export class QueueDashboard implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly authenticator: Authenticator,
    @Inject(JOB_BACKEND) private readonly backend: JobBackend,
  ) {}

  /** Mounted before Nest's not-found handler, which is added after the init hooks. */
  onModuleInit(): void {
    const http = this.adapterHost.httpAdapter;
    if (!http) return; // an application context without HTTP (a worker process)
    const app = http.getInstance<Application>();
    if (this.backend instanceof BullMqBackend) {
      const serverAdapter = new ExpressAdapter();
      serverAdapter.setBasePath(DASHBOARD_PATH);
      const board = createBullBoard({ queues: [], serverAdapter, options: { uiConfig: { boardTitle: 'Contingent jobs' } } });
      this.backend.watchQueues((queue) => board.addQueue(new BullMQAdapter(queue, { readOnlyMode: false })));
      app.use(DASHBOARD_PATH, agencyOnly(this.authenticator), serverAdapter.getRouter() as RequestHandler);
      return;
    }
    app.use(DASHBOARD_PATH, agencyOnly(this.authenticator), (_req: Request, res: Response) => {
      res
        .status(200)
        .type('text/html')
        .send(
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Contingent jobs</title></head><body><main>' +
            '<h1>Jobs run in-process</h1><p>No REDIS_URL is configured, so there are no queues to show: scheduled jobs run inside this process, retried with backoff.</p>' +
            '<p>Their history: <a href="/api/v1/jobs">/api/v1/jobs</a>.</p></main></body></html>',
        );
    });
  }
}
