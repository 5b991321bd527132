import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '../../common/domain/roles';
import { DomainError, FieldReason } from '../../common/domain/domain-error';
import { problemSentence } from '../../common/messages/problem-messages';
import { MedicinesService } from '../../medicines/medicines.service';
import { formatWhen } from '../../supply/domain/projection-explanation';
import { SupplyDeclarationDto, SupplyResponse } from '../../supply/dto/supply.dto';
import { DEFAULT_HORIZON, ProjectionResponse, SupplyService } from '../../supply/supply.service';
import { FormState, emptyForm, formFromError, formValues, formWithErrors, isFormRefusal, optionalNumber, validateAs } from '../forms';
import type { MessageKey } from '../i18n/messages';
import { Views } from '../views.service';
import { supplyChartSvg } from './supply-chart';

const HORIZONS = [3, 6, 12, 18, 24, 36];

/** The stock and projection page (issue 18), the lab's (with its declaration form) and the agency's. */
@Injectable()
export class SupplyPages {
  constructor(
    private readonly views: Views,
    private readonly medicines: MedicinesService,
    private readonly supply: SupplyService,
  ) {}

  async page(req: Request, res: Response, actor: Actor, query: unknown, base: string, declareForm?: FormState, status = 200, notice: string | null = null): Promise<void> {
    const medicines = (await this.medicines.list()).filter((m) => m.scheme === 'rationing');
    const values = { medicine: medicines[0]?.code ?? '', horizon: String(DEFAULT_HORIZON), ...formValues(query) };
    const horizon = Number(values.horizon);
    const ctx = this.views.context(req, res);
    const lang = ctx.lang;
    const canDeclare = actor.role === 'lab';
    let declaration: SupplyResponse | null = null;
    let projection: ProjectionResponse | null = null;
    let problem: string | null = null;
    let form = emptyForm(values);
    try {
      declaration = await this.supply.current(values.medicine);
      projection = await this.supply.projection(values.medicine, horizon, lang);
    } catch (error: unknown) {
      if (!(error instanceof DomainError) || error.status === 401 || error.status === 403) throw error;
      if (error.code === 'PROJECTION_HORIZON_INVALID') form = formFromError(values, error);
      else if (error.code !== 'SUPPLY_NOT_DECLARED') problem = problemSentence(error.code, error.message, lang, error.params);
      if (error.code === 'MEDICINE_NOT_FOUND') form = formFromError(values, error);
    }
    const period = (p: string): string => formatWhen(p, lang);
    const view = projection
      ? {
          ...projection,
          sentence: ctx.t(`supply.explanation.${projection.explanationCode}` as MessageKey, formatParams(projection.explanationParams, ctx.n, lang)),
          svg: supplyChartSvg(projection.periods, {
            title: ctx.t('supply.chartTitle'),
            continuation: ctx.t('supply.continuation'),
            initiation: ctx.t('supply.initiation'),
            stock: ctx.t('supply.stock'),
            format: ctx.n,
            period,
          }),
        }
      : null;
    const defaults = declaration ? declarationValues(declaration) : { at: '', stockUnits: '', pharmacyStockUnits: '', expected: '' };
    this.views.send(req, res, 'lab/supply', {
      base,
      medicines,
      horizons: HORIZONS,
      form,
      declaration,
      projection: view,
      problem,
      period,
      when: (d: string) => formatWhen(d, lang),
      canDeclare,
      declareForm: declareForm ?? emptyForm({ medicine: values.medicine, ...defaults }),
      notice,
    }, status);
  }

  /** The lab's declaration form → the same service call as `POST /api/v1/medicines/{code}/supply`. */
  async declare(req: Request, res: Response, actor: Actor, body: unknown): Promise<void> {
    const values = formValues(body);
    const medicine = values.medicine ?? '';
    const lines = (values.expected ?? '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
    const lineErrors: FieldReason[] = [];
    const expected = lines.flatMap((line, i) => {
      const m = /^(\S+)\s+(\S+)$/.exec(line);
      if (!m) {
        lineErrors.push({ field: 'expected', reason: `${i + 1}` });
        return [];
      }
      return [{ period: m[1] as string, units: optionalNumber(m[2]) }];
    });
    const plain = { stockUnits: optionalNumber(values.stockUnits), at: values.at ?? '', expected, ...(values.pharmacyStockUnits?.trim() ? { pharmacyStockUnits: optionalNumber(values.pharmacyStockUnits) } : {}) };
    const query = { medicine, horizon: values.horizon ?? String(DEFAULT_HORIZON) };
    const ctx = this.views.context(req, res);
    if (lineErrors.length > 0) {
      const reasons = lineErrors.map((e) => ({ field: 'expected', reason: ctx.t('supply.expectedLine', { line: e.reason }) }));
      return this.page(req, res, actor, query, '/laboratoire/stock', formWithErrors(values, reasons, null), 400);
    }
    const checked = await validateAs(SupplyDeclarationDto, plain);
    if (!checked.ok) return this.page(req, res, actor, query, '/laboratoire/stock', formWithErrors(values, checked.errors.map(toFormField), null), 400);
    try {
      const saved = await this.supply.declare(actor, medicine, checked.value);
      return this.page(req, res, actor, query, '/laboratoire/stock', undefined, 200, ctx.t('supply.declared', { version: saved.version }));
    } catch (error: unknown) {
      if (!isFormRefusal(error)) throw error;
      const form = formFromError(values, error);
      return this.page(req, res, actor, query, '/laboratoire/stock', { ...formWithErrors(values, error.errors.map(toFormField), form.summary), code: error.code, params: error.params }, error.status);
    }
  }
}

/** `expected[2].units` → the textarea `expected`, with the line number in the reason. */
function toFormField(e: FieldReason): FieldReason {
  const m = /^expected\[(\d+)\]\.?(.*)$/.exec(e.field);
  return m ? { field: 'expected', reason: `${Number(m[1]) + 1} : ${m[2] ? `${m[2]} ` : ''}${e.reason}` } : e;
}

function declarationValues(d: SupplyResponse): Record<string, string> {
  return {
    at: d.at,
    stockUnits: String(d.stockUnits),
    pharmacyStockUnits: d.pharmacyStockUnits === null ? '' : String(d.pharmacyStockUnits),
    expected: d.expected.map((e) => `${e.period} ${e.units}`).join('\n'),
  };
}

/** The explanation's parameters as the page's language writes them. */
export function formatParams(params: Record<string, string | number>, n: (v: number) => string, lang: 'fr' | 'en'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) out[k] = typeof v === 'number' ? (Number.isInteger(v) ? n(v) : new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }).format(v)) : formatWhen(v, lang);
  return out;
}
