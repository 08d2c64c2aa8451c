/**
 * Label sheets: what each target's label encodes and shows, laid out in millimetres as SVG labels
 * on printable HTML pages (or one SVG), or as ZPL for Zebra printers.
 *
 * What a label encodes, by target and symbology:
 * - item: GS1 symbologies `(01)` its GTIN; EAN-13 its GTIN-13; otherwise its SKU, else its GTIN;
 * - lot (inventory): `(01)` GTIN `(17)` expiry `(10)` lot — fixed-length elements first so no FNC1
 *   separator is needed (GS1 General Specifications §7.8.5) — in GS1-128 or GS1 DataMatrix, or as a
 *   GS1 Digital Link URI in a QR Code;
 * - asset (fixed-assets): its tag; in a GS1 symbology `(8004)` when the tag is a GIAI of the
 *   configured company prefix;
 * - location: its code (else any identifier registered for it); never in GS1 symbologies.
 */
import { ProblemError, type PluginContext } from '@quartermaster/sdk';
import { readerOf, type Db } from '@quartermaster/core';
import { fixedAssetsService } from '@quartermaster/plugin-fixed-assets/shared';
import { inventoryService } from '@quartermaster/plugin-inventory/shared';
import { ZplError, isValidGs1Key, toDigitalLink, toHri, zplLabel, type Gs1ElementInput, type ZplBarcode, type ZplTextLine } from '../../domain/index.js';
import { GS1_SYMBOLOGIES, LINEAR_SYMBOLOGIES, type LabelField, type LabelFormat, type Symbology } from '../../shared/constants.js';
import type { LabelTarget, LabelTemplate } from '../../shared/index.js';
import { itemIdentifiers, loadItem, loadLocation, locationIdentifier } from './core-reads.js';
import { asProblem, zplProblem } from './gs1-reading.js';
import { symbolContent, symbolSvg, type SymbolContent } from './symbols.service.js';

/** One label: the symbol and the text lines it may show. */
export interface LabelData {
  name: string;
  /** What the symbol encodes, as people read it (SKU, tag, bracketed GS1 HRI…). */
  code: string;
  lot: string | null;
  expiresOn: string | null;
  content: SymbolContent;
}

const field = (i: number) => `targets[${i}]`;
const describe = (t: LabelTarget) => `${t.type} ${t.id}`;

function unavailable(i: number, t: LabelTarget, plugin: string): ProblemError {
  return new ProblemError({
    type: 'barcode/target-unavailable',
    status: 422,
    title: 'Label target unavailable',
    detail: `${field(i)}: ${describe(t)} needs the ${plugin} plugin, which is not enabled`,
    extensions: { field: field(i), target: t, plugin },
  });
}
function unknownTarget(i: number, t: LabelTarget): ProblemError {
  return new ProblemError({ type: 'barcode/unknown-target', status: 422, title: 'Unknown label target', detail: `${field(i)}: there is no ${describe(t)}`, extensions: { field: field(i), target: t } });
}
function noCode(i: number, t: LabelTarget, why: string): ProblemError {
  return new ProblemError({ type: 'barcode/no-code', status: 422, title: 'Nothing to encode', detail: `${field(i)}: ${describe(t)} ${why}`, extensions: { field: field(i), target: t } });
}

const isGs1 = (s: Symbology) => GS1_SYMBOLOGIES.includes(s);
const gtin14Of = (gtins: string[]) => (gtins[0] ? gtins[0].padStart(14, '0') : null);
/** "2026-03-31" → "260331" (AI 17 is YYMMDD). */
const yymmdd = (iso: string) => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);

/** Gather each target's label data, in order; 422 naming the target when one cannot be labelled. */
export async function collectLabels(ctx: PluginContext<any>, targets: LabelTarget[], symbology: Symbology, companyPrefix: string | null, today: string): Promise<LabelData[]> {
  const db = readerOf(ctx);
  const out: LabelData[] = [];
  for (const [i, t] of targets.entries()) out.push(await labelFor(ctx, db, i, t, symbology, companyPrefix, today));
  return out;
}

async function labelFor(ctx: PluginContext<any>, db: Db, i: number, t: LabelTarget, symbology: Symbology, companyPrefix: string | null, today: string): Promise<LabelData> {
  const content = (data: string) => symbolContent(symbology, data, today, field(i));
  switch (t.type) {
    case 'item': {
      const item = await loadItem(db, t.id);
      if (!item) throw unknownTarget(i, t);
      const gtin14 = gtin14Of(await itemIdentifiers(db, item.id, 'gtin'));
      let data: string;
      if (isGs1(symbology)) {
        if (!gtin14) throw noCode(i, t, `(${item.name}) has no GTIN; a ${symbology} label carries (01) GTIN`);
        data = `(01)${gtin14}`;
      } else if (symbology === 'ean13') {
        if (!gtin14?.startsWith('0')) throw noCode(i, t, `(${item.name}) has no GTIN-13 for an EAN-13 symbol`);
        data = gtin14.slice(1);
      } else {
        const sku = (await itemIdentifiers(db, item.id, 'sku'))[0];
        if (!sku && !gtin14) throw noCode(i, t, `(${item.name}) has neither a SKU nor a GTIN`);
        data = sku ?? gtin14!;
      }
      const c = content(data);
      return { name: item.name, code: c.hri, lot: null, expiresOn: null, content: c };
    }
    case 'lot': {
      const inventory = ctx.services.getOptional(inventoryService);
      if (!inventory) throw unavailable(i, t, 'inventory');
      const lot = await inventory.getLot(t.id);
      if (!lot) throw unknownTarget(i, t);
      const item = (await loadItem(db, lot.itemId))!;
      const gtin14 = gtin14Of(await itemIdentifiers(db, item.id, 'gtin'));
      if (!isGs1(symbology) && symbology !== 'qr') {
        throw noCode(i, t, `is labelled with GS1 data (01)(17)(10): choose gs1-128, gs1-datamatrix or qr (GS1 Digital Link), not ${symbology}`);
      }
      if (!gtin14) throw noCode(i, t, `(lot ${lot.code} of ${item.name}): the item has no GTIN, and a GS1 lot label starts with (01) GTIN`);
      const elements: Gs1ElementInput[] = [{ ai: '01', value: gtin14 }];
      if (lot.expiresOn) elements.push({ ai: '17', value: yymmdd(lot.expiresOn) });
      elements.push({ ai: '10', value: lot.code });
      const hri = asProblem(() => toHri(elements), field(i));
      const c = content(symbology === 'qr' ? asProblem(() => toDigitalLink(elements), field(i)) : hri);
      return { name: item.name, code: hri, lot: lot.code, expiresOn: lot.expiresOn, content: c };
    }
    case 'asset': {
      const assets = ctx.services.getOptional(fixedAssetsService);
      if (!assets) throw unavailable(i, t, 'fixed-assets');
      const asset = await assets.getAsset(t.id);
      if (!asset) throw unknownTarget(i, t);
      let data = asset.tag;
      if (isGs1(symbology)) {
        const giai = companyPrefix !== null && asset.tag.startsWith(companyPrefix) && isValidGs1Key('giai', asset.tag);
        if (!giai) throw noCode(i, t, `(tag ${asset.tag}) is not a GIAI of the company prefix ${companyPrefix ?? '(none set)'}; label it with qr, datamatrix or code128`);
        data = `(8004)${asset.tag}`;
      } else if (symbology === 'ean13') {
        throw noCode(i, t, 'cannot be labelled with EAN-13, which carries only GTINs');
      }
      const c = content(data);
      return { name: asset.name, code: c.hri, lot: null, expiresOn: null, content: c };
    }
    case 'location': {
      const location = await loadLocation(db, t.id);
      if (!location) throw unknownTarget(i, t);
      if (isGs1(symbology) || symbology === 'ean13') throw noCode(i, t, `has no GS1 key: label locations with qr, datamatrix or code128, not ${symbology}`);
      const code = location.code ?? (await locationIdentifier(db, location.id));
      if (!code) throw noCode(i, t, `(${location.path}) has no code to print`);
      const c = content(code);
      return { name: location.name, code: c.hri, lot: null, expiresOn: null, content: c };
    }
  }
}

// ── Layout ─────────────────────────────────────────────────────────────────────────────────────

const num = (n: number) => String(Math.round(n * 1000) / 1000);
const xml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function tooSmall(message: string): ProblemError {
  return new ProblemError({ type: 'barcode/invalid-label', status: 422, title: 'Label cannot be laid out', detail: message, extensions: { field: 'template' } });
}

/** The text lines a label shows. Linear symbols print their code under the bars instead of as a line. */
function textLines(label: LabelData, fields: readonly LabelField[], linear: boolean): string[] {
  const lines: string[] = [];
  for (const f of fields) {
    if (f === 'name') lines.push(label.name);
    else if (f === 'code' && !linear) lines.push(label.code);
    else if (f === 'lot' && label.lot) lines.push(`LOT ${label.lot}`);
    else if (f === 'expiresOn' && label.expiresOn) lines.push(`EXP ${label.expiresOn}`);
  }
  // One line each: control characters (a tab, a newline in a name) would break the layout.
  return lines.map((l) => Array.from(l, (ch) => (ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127 ? ' ' : ch)).join(''));
}

/** An average glyph of the label font is about 0.55 em wide. */
const GLYPH_EM = 0.55;

/**
 * A line made to fit `widthMm`: the font shrinks down to `minFs` first (a code is better small than
 * cut), then what still does not fit is cut with an ellipsis.
 */
function fit(text: string, widthMm: number, fs: number, minFs: number): { text: string; fs: number } {
  const size = Math.max(minFs, Math.min(fs, widthMm / (Math.max(1, text.length) * GLYPH_EM)));
  const max = Math.max(1, Math.floor(widthMm / (size * GLYPH_EM)));
  return { text: text.length <= max ? text : text.slice(0, Math.max(0, max - 1)) + '…', fs: size };
}

/** The symbol's SVG placed in a box: nested `<svg>` with position and size in the label's mm units. */
function placeSymbol(svg: string, x: number, y: number, w: number, h: number, stretch: boolean): string {
  const attributes = `x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" preserveAspectRatio="${stretch ? 'none' : 'xMidYMid meet'}" `;
  return svg.trim().replace(/^<svg /, `<svg ${attributes}`);
}

/**
 * One label as an SVG element in mm units (viewBox 0 0 width height). `attrs` places it (nested in
 * a sheet) or sizes it (in HTML). 2D symbols sit left with the text to their right; linear symbols
 * fill the width below the text, with their code under the bars.
 */
export function labelSvg(label: LabelData, template: LabelTemplate, attrs: string): string {
  const w = template.widthMm;
  const h = template.heightMm;
  const fields = template.fields ?? ['name', 'code'];
  const linear = LINEAR_SYMBOLOGIES.includes(label.content.symbology);
  const lines = textLines(label, fields, linear);
  const pad = clamp(Math.min(w, h) * 0.06, 0.8, 3);
  const innerW = w - 2 * pad;
  const innerH = h - 2 * pad;
  const fs = clamp(innerH * 0.12, 1.4, 3.5);
  const lineH = fs * 1.25;
  const symbol = symbolSvg(label.content, { scale: 1, includeText: false });
  const parts: string[] = [];
  // Names may shrink a little; codes down to 1.2 mm, 6-point type, before they are cut.
  const text = (s: string, x: number, y: number, width: number, minFs: number, anchor = 'start') => {
    const line = fit(s, width, fs, Math.min(fs, minFs));
    return `<text x="${num(x)}" y="${num(y)}" font-size="${num(line.fs)}" text-anchor="${anchor}">${xml(line.text)}</text>`;
  };
  if (linear) {
    const hri = fields.includes('code');
    const top = pad + lines.length * lineH;
    const barsH = innerH - lines.length * lineH - (hri ? lineH : 0);
    if (barsH < 3) throw tooSmall(`A ${w}×${h} mm label leaves ${num(Math.max(0, barsH))} mm for the bars under ${lines.length} text line(s); at least 3 mm are needed`);
    lines.forEach((l, i) => parts.push(text(l, pad, pad + fs + i * lineH, innerW, fs * 0.8)));
    parts.push(placeSymbol(symbol, pad, top, innerW, barsH, true));
    if (hri) parts.push(text(label.code, w / 2, top + barsH + fs, innerW, 1.2, 'middle'));
  } else {
    const side = lines.length ? Math.min(innerH, innerW * 0.5) : Math.min(innerH, innerW);
    if (side < 5) throw tooSmall(`A ${w}×${h} mm label leaves ${num(side)} mm for the symbol; at least 5 mm are needed`);
    const sx = lines.length ? pad : (w - side) / 2;
    parts.push(placeSymbol(symbol, sx, pad + (innerH - side) / 2, side, side, false));
    const tx = pad + side + pad;
    lines.forEach((l, i) => parts.push(text(l, tx, pad + fs + i * lineH, w - tx - pad, l === label.code ? 1.2 : fs * 0.8)));
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" ${attrs} viewBox="0 0 ${num(w)} ${num(h)}">` +
    `<g font-family="Helvetica, Arial, sans-serif" fill="#000">${parts.join('')}</g></svg>`
  );
}

interface SheetGeometry {
  columns: number;
  rows: number;
  margin: number;
  gap: number;
  pageW: number;
  pageH: number;
}

function geometry(t: LabelTemplate): SheetGeometry {
  const columns = t.columns ?? 1;
  const rows = t.rows ?? 1;
  const margin = t.marginMm ?? 0;
  const gap = t.gapMm ?? 0;
  return {
    columns,
    rows,
    margin,
    gap,
    pageW: 2 * margin + columns * t.widthMm + (columns - 1) * gap,
    pageH: 2 * margin + rows * t.heightMm + (rows - 1) * gap,
  };
}

/** Where label `i` sits: its sheet and its top-left corner on that sheet, in mm. */
function slot(g: SheetGeometry, t: LabelTemplate, i: number) {
  const perSheet = g.columns * g.rows;
  const n = i % perSheet;
  return {
    sheet: Math.floor(i / perSheet),
    x: g.margin + (n % g.columns) * (t.widthMm + g.gap),
    y: g.margin + Math.floor(n / g.columns) * (t.heightMm + g.gap),
  };
}

/** A printable HTML page: one `.sheet` per page of `columns × rows` labels, @page sized to the sheet. */
export function htmlSheet(labels: LabelData[], t: LabelTemplate): string {
  const g = geometry(t);
  const sheets: string[][] = [];
  labels.forEach((label, i) => {
    const s = slot(g, t, i);
    (sheets[s.sheet] ??= []).push(
      `<div class="label" style="left:${num(s.x)}mm;top:${num(s.y)}mm">${labelSvg(label, t, `width="${num(t.widthMm)}mm" height="${num(t.heightMm)}mm"`)}</div>`,
    );
  });
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><title>Labels</title><style>',
    `@page { size: ${num(g.pageW)}mm ${num(g.pageH)}mm; margin: 0; }`,
    'html, body { margin: 0; padding: 0; }',
    `.sheet { position: relative; width: ${num(g.pageW)}mm; height: ${num(g.pageH)}mm; overflow: hidden; break-after: page; page-break-after: always; }`,
    '.sheet:last-child { break-after: auto; page-break-after: auto; }',
    `.label { position: absolute; width: ${num(t.widthMm)}mm; height: ${num(t.heightMm)}mm; overflow: hidden; }`,
    '.label > svg { display: block; }',
    '@media screen { body { background: #ddd; } .sheet { background: #fff; margin: 5mm auto; } }',
    '</style></head><body>',
    ...sheets.map((s) => `<section class="sheet">${s.join('')}</section>`),
    '</body></html>',
  ].join('\n');
}

/** One SVG document: the sheets one under the other, each `pageW × pageH` mm. */
export function svgSheet(labels: LabelData[], t: LabelTemplate): string {
  const g = geometry(t);
  const sheets = Math.max(1, Math.ceil(labels.length / (g.columns * g.rows)));
  const totalH = sheets * g.pageH;
  const body = labels.map((label, i) => {
    const s = slot(g, t, i);
    return labelSvg(label, t, `x="${num(s.x)}" y="${num(s.sheet * g.pageH + s.y)}" width="${num(t.widthMm)}" height="${num(t.heightMm)}"`);
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${num(g.pageW)}mm" height="${num(totalH)}mm" viewBox="0 0 ${num(g.pageW)} ${num(totalH)}">` +
    `<rect width="100%" height="100%" fill="#fff"/>${body.join('')}</svg>\n`
  );
}

/**
 * ZPL II for Zebra printers: one label (^XA…^XZ) per target, `widthMm × heightMm` at the template's
 * dpi (default 203). Columns and rows do not apply: the printer feeds its own roll. Linear symbols
 * get their human-readable line from the printer. `copies` (more than 1) asks the printer for that
 * many of each label (^PQ) rather than repeating the program.
 */
export function zplLabels(labels: LabelData[], t: LabelTemplate, copies = 1): string {
  const dpi = t.dpi ?? 203;
  const dots = (mm: number) => Math.round((mm * dpi) / 25.4);
  const widthDots = dots(t.widthMm);
  const heightDots = dots(t.heightMm);
  const pad = Math.min(dots(1.5), Math.floor(widthDots / 8), Math.floor(heightDots / 8));
  const size = Math.max(10, dots(clamp(t.heightMm * 0.12, 1.5, 3)));
  const lineH = Math.round(size * 1.25);
  const fields = t.fields ?? ['name', 'code'];
  return labels
    .map((label) => {
      const symbology = label.content.symbology;
      const linear = LINEAR_SYMBOLOGIES.includes(symbology);
      const texts = textLines(label, fields, linear);
      const lines: ZplTextLine[] = [];
      let barcode: ZplBarcode;
      const data = label.content.text;
      const type = symbology === 'gs1-datamatrix' ? 'datamatrix' : symbology;
      if (linear) {
        texts.forEach((text, i) => lines.push({ text, x: pad, y: pad + i * lineH, size }));
        const y = pad + texts.length * lineH;
        const height = heightDots - y - pad - (fields.includes('code') ? Math.round(size * 1.6) : 0);
        if (height < dots(3)) throw tooSmall(`A ${t.widthMm}×${t.heightMm} mm label leaves too little height for the bars under ${texts.length} text line(s)`);
        barcode = { type, data, x: pad, y, height, humanReadable: fields.includes('code') };
      } else {
        // 2D symbols at the top left, text in the right half.
        const x = Math.round(widthDots / 2);
        texts.forEach((text, i) => lines.push({ text, x, y: pad + i * lineH, size }));
        barcode = { type, data, x: pad, y: pad, ...(symbology === 'gs1-datamatrix' ? { gs1: true } : {}) };
      }
      try {
        return zplLabel({ widthDots, heightDots, dpi, lines, barcode, copies });
      } catch (error) {
        if (error instanceof ZplError) throw zplProblem(error);
        throw error;
      }
    })
    .join('\n');
}

export function renderLabels(labels: LabelData[], template: LabelTemplate, format: LabelFormat): { contentType: string; body: string } {
  if (format === 'zpl') return { contentType: 'text/plain; charset=utf-8', body: asProblem(() => zplLabels(labels, template), 'template') };
  if (format === 'svg') return { contentType: 'image/svg+xml; charset=utf-8', body: svgSheet(labels, template) };
  return { contentType: 'text/html; charset=utf-8', body: htmlSheet(labels, template) };
}
