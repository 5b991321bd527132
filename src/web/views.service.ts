import { Injectable, OnModuleInit } from '@nestjs/common';
import { Eta } from 'eta';
import type { Request, Response } from 'express';
import { join } from 'node:path';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import type { Actor } from '../common/domain/roles';
import type { MessageContext } from '../common/messages/catalogue';
import { auditActionLabel, auditEntityLabel } from '../common/messages/audit-actions';
import { problemSentence } from '../common/messages/problem-messages';
import { fieldLabel, reasonIn } from '../common/messages/problems';
import { DemoSeedRegistry } from '../common/contracts/demo-seed-registry';
import { MedicinesService } from '../medicines/medicines.service';
import type { MessageKey } from './i18n/messages';
import { CodedSentence, discrepancySentence, formatsOf, localizeForms, sentenceOf } from './i18n/sentences';
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
  /** A coded sentence (decision reason, order flag…) in the page's language. */
  sentence: (sentence: CodedSentence | null | undefined, context?: MessageContext) => string;
  /** A discrepancy's sentence in the page's language. */
  discrepancySentence: (d: { kind: string; patient: string | null; detail: string; params?: object | null }, period: string, names?: Record<string, string> | null) => string;
  /** A problem's sentence from its code in the page's language (the service's sentence when the code has none). */
  problemSentence: (code: string | undefined, detail: string, params?: unknown) => string;
  /** An audit action's label (never its raw code) and an audited entity's label. */
  auditAction: (action: string) => string;
  auditEntity: (entity: string) => string;
  /** A field reason in the page's language. */
  reasonSentence: (reason: string) => string;
  /** A field path's label (`lines[4].patient` → ligne 5 — patient). */
  fieldLabel: (field: string) => string;
  /** A date YYYY-MM-DD as 05/12/2026. */
  fmtDate: (value: string | null | undefined) => string;
  /** A period YYYY-MM as « décembre 2026 ». */
  fmtPeriod: (value: string | null | undefined) => string;
  /** The label of a code under a key prefix (`indicationKind.quota`), the code itself when none. */
  labelOf: (prefix: string, code: string | null | undefined) => string;
  /** An indication's name (as the medicine's record names it), the code when unknown. */
  indicationName: (code: string | null | undefined) => string;
  /** A medicine's name, the code when unknown. */
  medicineName: (code: string | null | undefined) => string;
}

const NAMES_TTL_MS = 30_000;

/**
 * Renders the Eta templates of src/web/views. They are copied next to the compiled files
 * (nest-cli.json assets), so `__dirname/views` holds both under ts-jest and in dist/.
 */
@Injectable()
export class Views implements OnModuleInit {
  private readonly eta = new Eta({ views: join(__dirname, 'views'), cache: true, autoTrim: [false, 'nl'] });
  private names = { indications: new Map<string, string>(), medicines: new Map<string, string>(), loadedAt: 0 };

  constructor(private readonly medicines: MedicinesService, demo: DemoSeedRegistry) {
    // The demo data is loaded after the modules start: read the names again once it is in.
    demo.registerAfter('page names', () => this.loadNames());
  }

  async onModuleInit(): Promise<void> {
    await this.loadNames();
  }

  /** Indication and medicine names for the pages, reloaded in the background when older than 30 s. */
  private async loadNames(): Promise<void> {
    const list = await this.medicines.list();
    this.names = {
      indications: new Map(list.flatMap((m) => m.indications.map((i) => [i.code, i.name] as const))),
      medicines: new Map(list.map((m) => [m.code, m.name])),
      loadedAt: Date.now(),
    };
  }

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
      sentence: (sentence, context) => sentenceOf(sentence, tr.lang, context),
      discrepancySentence: (d, period, names) => discrepancySentence(d, period, tr.lang, names),
      problemSentence: (code, detail, params) => problemSentence(code, detail, tr.lang, params),
      reasonSentence: (reason) => reasonIn(reason, tr.lang),
      auditAction: (action) => auditActionLabel(action, tr.lang),
      auditEntity: (entity) => auditEntityLabel(entity, tr.lang),
      fieldLabel: (field) => fieldLabel(field, tr.lang),
      fmtDate: formatsOf(tr.lang).date,
      fmtPeriod: formatsOf(tr.lang).period,
      indicationName: (code) => (code ? (this.names.indications.get(code) ?? code) : '—'),
      medicineName: (code) => (code ? (this.names.medicines.get(code) ?? code) : '—'),
      labelOf: (prefix, code) => (code === null || code === undefined || code === '' ? '—' : tr.has(`${prefix}.${code}`) ? tr.t(`${prefix}.${code}` as MessageKey) : code),
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
    if (Date.now() - this.names.loadedAt > NAMES_TTL_MS) {
      this.names.loadedAt = Date.now();
      this.loadNames().catch(() => undefined);
    }
    const context = this.context(req, res);
    const html = this.render(template, { ...context, ...localizeForms(data, context.lang) });
    // helmet's `no-referrer` makes Chromium send `Origin: null` on form posts; the same-origin check needs the origin.
    res.setHeader('Referrer-Policy', 'same-origin');
    res.status(status).type('text/html').send(html);
  }
}
