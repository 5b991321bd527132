import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Public } from '../../auth/auth.decorators';

// Read once at start: htmx from node_modules (no copy in the repository), our CSS from web/public.
const ASSETS = new Map<string, { body: Buffer; type: string }>(Object.entries({
  'htmx.min.js': { body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js')), type: 'text/javascript; charset=utf-8' },
  'app.css': { body: readFileSync(join(__dirname, '..', 'public', 'app.css')), type: 'text/css; charset=utf-8' },
  'app.js': { body: readFileSync(join(__dirname, '..', 'public', 'app.js')), type: 'text/javascript; charset=utf-8' },
}));

@ApiExcludeController()
@Controller('static')
export class StaticController {
  @Get(':name')
  @Public()
  @Header('Cache-Control', 'public, max-age=3600')
  asset(@Param('name') name: string, @Res() res: Response): void {
    const asset = ASSETS.get(name); // a Map: /static/__proto__ or /static/constructor is no asset (#12.10)
    if (!asset) throw new NotFoundException(`No asset ${name}.`);
    res.type(asset.type).send(asset.body);
  }
}
