/**
 * Barcode images with bwip-js (Barcode Writer in Pure PostScript): SVG as text, PNG as a buffer.
 * What goes in is checked here first, with the GS1 domain, so a bad GTIN or AI is a 422 saying why
 * rather than whatever the renderer makes of it.
 */
import bwipjs from 'bwip-js/node';
import { ProblemError } from '@quartermaster/sdk';
import { GS1_SYMBOLOGIES, LINEAR_SYMBOLOGIES, type ImageFormat, type Symbology } from '../../shared/constants.js';
import { Gs1Error, gs1CheckDigit, hasValidGs1CheckDigit, parseGs1, toElementString, type Gs1Element } from '../../domain/index.js';
import { asProblem, gs1Problem } from './gs1-reading.js';

const BCID: Readonly<Record<Symbology, string>> = {
  qr: 'qrcode',
  datamatrix: 'datamatrix',
  'gs1-datamatrix': 'gs1datamatrix',
  code128: 'code128',
  'gs1-128': 'gs1-128',
  ean13: 'ean13',
};

/** GS1 General Specifications (GS1-128): at most 48 data characters, FNC1 separators included. */
const GS1_128_MAX = 48;

/** What a symbol encodes: the text handed to the renderer and the line people read under bars. */
export interface SymbolContent {
  symbology: Symbology;
  /** For GS1 symbologies the bracketed form bwip-js expects ("(01)…(10)…"). */
  text: string;
  hri: string;
  elements?: Gs1Element[];
}

/**
 * Check `data` for `symbology`: GS1 symbologies take GS1 data in any form parseGs1 reads (element
 * string, bracketed, Digital Link, plain GTIN); EAN-13 takes 12 digits (the check digit is added),
 * 13 with a correct check digit, or the GTIN-14 form of a GTIN-13. Throws 422 problems.
 */
export function symbolContent(symbology: Symbology, data: string, today: string, field = 'data'): SymbolContent {
  if (GS1_SYMBOLOGIES.includes(symbology)) {
    const parsed = asProblem(() => parseGs1(data, { today }), field);
    if (symbology === 'gs1-128') {
      const length = asProblem(() => toElementString(parsed.elements), field).length;
      if (length > GS1_128_MAX) {
        throw gs1Problem(new Gs1Error('too-long', `GS1-128 holds at most ${GS1_128_MAX} data characters; these elements need ${length}`), field);
      }
    }
    return { symbology, text: parsed.hri, hri: parsed.hri, elements: parsed.elements };
  }
  if (symbology === 'ean13') {
    let digits = data.trim();
    if (/^0\d{13}$/.test(digits)) digits = digits.slice(1);
    if (!/^\d{12,13}$/.test(digits)) {
      throw gs1Problem(new Gs1Error('invalid-key', `EAN-13 takes 12 or 13 digits (a GTIN-13), got "${data}"`, { ai: '01' }), field);
    }
    if (digits.length === 12) digits += gs1CheckDigit(digits);
    else if (!hasValidGs1CheckDigit(digits)) {
      throw gs1Problem(
        new Gs1Error('check-digit', `GTIN-13 "${digits}" has a wrong check digit: expected ${gs1CheckDigit(digits.slice(0, 12))}, found ${digits[12]}`, { ai: '01', position: 12 }),
        field,
      );
    }
    return { symbology, text: digits, hri: digits };
  }
  return { symbology, text: data, hri: data };
}

/** bwip-js errors read "bwipp.ean13badCheckDigit#6915: Incorrect EAN-13 check digit provided". */
function unencodable(error: unknown, symbology: Symbology, field: string): ProblemError {
  const message = String((error as Error)?.message ?? error).replace(/^(Error:\s*)?(bwipp?\.[\w-]+#?\d*:\s*)?/, '');
  return new ProblemError({
    type: 'barcode/unencodable',
    status: 422,
    title: 'Cannot encode this data',
    detail: `${symbology}: ${message}`,
    extensions: { symbology, field },
  });
}

export interface RenderOptions {
  /** Module size multiplier; default 3. */
  scale?: number;
  /** Linear symbols: the human-readable line under the bars (default true). */
  includeText?: boolean;
  /** Quiet zones around the symbol (default true); labels lay out their own margins. */
  quietZone?: boolean;
}

function bwipOptions(content: SymbolContent, options: RenderOptions) {
  const linear = LINEAR_SYMBOLOGIES.includes(content.symbology);
  // Quiet zones: 10 modules beside linear symbols, 4 round a QR Code, 1 round Data Matrix (GS1 General Specifications §5).
  const quiet = options.quietZone === false ? 0 : linear ? 10 : content.symbology === 'qr' ? 4 : 1;
  return {
    bcid: BCID[content.symbology],
    text: content.text,
    scale: options.scale ?? 3,
    ...(linear ? { includetext: options.includeText !== false, textxalign: 'center' as const } : {}),
    ...(linear ? { paddingwidth: quiet, paddingheight: 0 } : { padding: quiet }),
  };
}

/** The symbol as an SVG document (paths only: no text of the data appears in it as markup). */
export function symbolSvg(content: SymbolContent, options: RenderOptions = {}, field = 'data'): string {
  try {
    return bwipjs.toSVG(bwipOptions(content, options));
  } catch (error) {
    throw unencodable(error, content.symbology, field);
  }
}

/** The symbol as a PNG image. */
export async function symbolPng(content: SymbolContent, options: RenderOptions = {}, field = 'data'): Promise<Buffer> {
  try {
    return await bwipjs.toBuffer(bwipOptions(content, options));
  } catch (error) {
    throw unencodable(error, content.symbology, field);
  }
}

/** A standalone SVG gets its natural size (bwip-js gives only a viewBox), so an <img> shows it as the PNG would. */
function sized(svg: string): string {
  return svg.replace(/^<svg viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/, '<svg width="$1" height="$2" viewBox="0 0 $1 $2"');
}

export async function renderSymbol(content: SymbolContent, format: ImageFormat, options: RenderOptions): Promise<{ contentType: string; body: string | Buffer }> {
  return format === 'png'
    ? { contentType: 'image/png', body: await symbolPng(content, options) }
    : { contentType: 'image/svg+xml; charset=utf-8', body: sized(symbolSvg(content, options)) };
}
