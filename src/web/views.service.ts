import { Injectable } from '@nestjs/common';
import { Eta } from 'eta';
import type { Request, Response } from 'express';
import { join } from 'node:path';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import { LANG_COOKIE, Lang, Translator, chooseLang } from './i18n/translator';
import { NavItem, homeOf, navigationOf } from './navigation';

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/** What every template receives besides its own data. */
export interface PageContext {
  t: Translator['t'];
  n: Translator['n'];
  d: Translator['d'];
  instant: Translator['instant'];
  lang: Lang;
  actor: Actor | null;
  nav: NavItem[];
  home: string;
  path: string;
  /** The current path with `?lang=` for the other language. */
  langHref: (lang: Lang) => string;
}

/**
 * Renders the Eta templates of src/web/views. They are copied next to the compiled files
 * (nest-cli.json assets), so `__dirname/views` holds both under ts-jest and in dist/.
 */
@Injectable()
export class Views {
  private readonly eta = new Eta({ views: join(__dirname, 'views'), cache: true, autoTrim: [false, 'nl'] });

  /** The language of this request; `?lang=` is remembered in a cookie. */
  translator(req: Request, res: Response): Translator {
    const query = req.query.lang;
    const lang = chooseLang(query, (req as { cookies?: Record<string, string> }).cookies?.[LANG_COOKIE]);
    if (typeof query === 'string' && query === lang) res.cookie(LANG_COOKIE, lang, { sameSite: 'lax', httpOnly: true, maxAge: ONE_YEAR_MS, path: '/' });
    return new Translator(lang);
  }

  context(req: Request, res: Response): PageContext {
    const tr = this.translator(req, res);
    const actor = (req as AuthenticatedRequest).actor ?? null;
    const url = new URL(req.originalUrl, 'http://page.invalid');
    return {
      t: tr.t,
      n: tr.n,
      d: tr.d,
      instant: tr.instant,
      lang: tr.lang,
      actor,
      nav: actor ? navigationOf(actor.role) : [],
      home: actor ? homeOf(actor.role) : '/connexion',
      path: url.pathname,
      langHref: (lang: Lang) => {
        const params = new URLSearchParams(url.search);
        params.set('lang', lang);
        return `${url.pathname}?${params.toString()}`;
      },
    };
  }

  render(template: string, data: object): string {
    return this.eta.render(template, data);
  }

  /** Sends a whole page (or, for an htmx request to a fragment template, the fragment). */
  send(req: Request, res: Response, template: string, data: object = {}, status = 200): void {
    const html = this.render(template, { ...this.context(req, res), ...data });
    // helmet's `no-referrer` makes Chromium send `Origin: null` on form posts; the same-origin check needs the origin.
    res.setHeader('Referrer-Policy', 'same-origin');
    res.status(status).type('text/html').send(html);
  }
}
