/**
 * The answer of a Zebra (ZPL) printer to `~HS`, Host Status Return, read into a typed status.
 * Pure: the text in, the status out; the TCP exchange is the server's.
 *
 * Layout (ZPL II Programming Guide, ~HS "Host Status Return"): three strings, each framed
 * `<STX>…<ETX><CR><LF>`:
 *
 *   String 1  aaa,b,c,dddd,eee,f,g,h,iii,j,k,l
 *     aaa communication settings (bit field) · b paper out · c pause · dddd label length (dots) ·
 *     eee formats in the receive buffer · f receive buffer full · g communications diagnostic mode ·
 *     h partial format in progress · iii unused (000) · j corrupt RAM (configuration data lost) ·
 *     k under temperature · l over temperature
 *   String 2  mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www
 *     mmm function settings (bit field) · n unused · o head up (open) · p ribbon out ·
 *     q thermal transfer mode · r print mode (0 rewind, 1 peel-off, 2 tear-off, 3 cutter,
 *     4 applicator, 5 delayed cut; others reserved or model-specific) · s print width mode ·
 *     t label waiting (peel-off) · uuuuuuuu labels remaining in batch · v format while printing
 *     (always 1) · www graphic images stored
 *   String 3  xxxx,y
 *     xxxx the printer's password · y static RAM installed
 *
 * Flags are "1" for set. The password of string 3 is read past and never returned: a status is
 * shown to people who must not learn it. A printer may add fields after the documented ones
 * (newer firmware); they are ignored.
 *
 * Note (Zebra's current ~HS page): some firmware does not answer at all while the media is out,
 * the ribbon is out, the head is open, the rewinder is full or the head is over temperature, so
 * "no answer" from a printer that accepted the connection often means one of those.
 */

/** What a printer's status comes to, worst first when several conditions hold. */
export const PRINTER_STATES = [
  'ready',
  'head-open',
  'paper-out',
  'ribbon-out',
  'over-temperature',
  'configuration-lost',
  'under-temperature',
  'buffer-full',
  'paused',
] as const;
export type PrinterState = (typeof PRINTER_STATES)[number];
/** A condition the printer reports: every state but `ready`. */
export type PrinterCondition = Exclude<PrinterState, 'ready'>;

export const PRINT_MODES = ['rewind', 'peel-off', 'tear-off', 'cutter', 'applicator', 'delayed-cut'] as const;
export type PrintMode = (typeof PRINT_MODES)[number];

export interface ZebraHostStatus {
  /** No condition holds: the printer will print what it is sent. */
  ready: boolean;
  /** The worst condition, or `ready`. */
  state: PrinterState;
  /** Every condition that holds, worst first. */
  conditions: PrinterCondition[];
  paperOut: boolean;
  paused: boolean;
  headOpen: boolean;
  ribbonOut: boolean;
  overTemperature: boolean;
  underTemperature: boolean;
  bufferFull: boolean;
  /** "Corrupt RAM": the printer lost its configuration. */
  configurationLost: boolean;
  partialFormat: boolean;
  diagnosticMode: boolean;
  /** A label waits to be taken (peel-off mode). */
  labelWaiting: boolean;
  thermalTransfer: boolean;
  /** The print mode, or null for a code this list does not know (kept in `printModeCode`). */
  printMode: PrintMode | null;
  printModeCode: string;
  labelLengthDots: number;
  formatsInBuffer: number;
  labelsRemaining: number;
  graphicsStored: number;
  /** String 1's `aaa` and string 2's `mmm`, as the decimal of their bit fields. */
  communicationSettings: number;
  functionSettings: number;
  staticRamInstalled: boolean;
}

/** A `~HS` answer that is not one: `field` names where (`string2.r`, `answer`). */
export class HostStatusError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.name = 'HostStatusError';
    this.field = field;
  }
}

/** The host status query, as sent to the printer. */
export const HOST_STATUS_QUERY = '~HS';

const STX = '\u0002';
const ETX = '\u0003';
/** The framed strings of an answer, in order: STX and ETX are the protocol's own delimiters. */
// eslint-disable-next-line no-control-regex
const FRAME = /\u0002([^\u0002\u0003]*)\u0003/g;

/** True once `received` holds the three framed strings of a `~HS` answer (so a reader can stop waiting). */
export function hostStatusComplete(received: string): boolean {
  return (received.match(FRAME) ?? []).length >= 3;
}

function fieldsOf(frame: string, n: 1 | 2 | 3, expected: number): string[] {
  const fields = frame.split(',').map((f) => f.trim());
  if (fields.length < expected) {
    throw new HostStatusError(`string${n}`, `string ${n} has ${fields.length} field(s), expected ${expected}: "${frame}"`);
  }
  return fields;
}

function number(value: string, field: string): number {
  if (!/^\d+$/.test(value)) throw new HostStatusError(field, `${field} must be digits, got "${value}"`);
  return Number(value);
}

function flag(value: string, field: string): boolean {
  if (value !== '0' && value !== '1') throw new HostStatusError(field, `${field} must be 0 or 1, got "${value}"`);
  return value === '1';
}

/** Read a `~HS` answer: three STX…ETX strings (CR/LF and anything outside the frames is ignored). */
export function parseHostStatus(answer: string): ZebraHostStatus {
  if (typeof answer !== 'string' || !answer.includes(STX)) {
    throw new HostStatusError('answer', 'not a ~HS answer: it has no <STX>-framed string');
  }
  const frames = [...answer.matchAll(FRAME)].map((m) => m[1]);
  if (frames.length < 3) {
    const open = answer.lastIndexOf(STX) > answer.lastIndexOf(ETX) ? ' (the last one is not closed by <ETX>)' : '';
    throw new HostStatusError('answer', `a ~HS answer has three <STX>…<ETX> strings; this one has ${frames.length}${open}`);
  }
  const [a, b, c] = frames;
  // String 1: aaa,b,c,dddd,eee,f,g,h,iii,j,k,l
  const s1 = fieldsOf(a, 1, 12);
  const communicationSettings = number(s1[0], 'string1.aaa');
  const paperOut = flag(s1[1], 'string1.b');
  const paused = flag(s1[2], 'string1.c');
  const labelLengthDots = number(s1[3], 'string1.dddd');
  const formatsInBuffer = number(s1[4], 'string1.eee');
  const bufferFull = flag(s1[5], 'string1.f');
  const diagnosticMode = flag(s1[6], 'string1.g');
  const partialFormat = flag(s1[7], 'string1.h');
  // s1[8] is unused (always 000).
  const configurationLost = flag(s1[9], 'string1.j');
  const underTemperature = flag(s1[10], 'string1.k');
  const overTemperature = flag(s1[11], 'string1.l');
  // String 2: mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www
  const s2 = fieldsOf(b, 2, 11);
  const functionSettings = number(s2[0], 'string2.mmm');
  // s2[1] is unused.
  const headOpen = flag(s2[2], 'string2.o');
  const ribbonOut = flag(s2[3], 'string2.p');
  const thermalTransfer = flag(s2[4], 'string2.q');
  const printModeCode = s2[5];
  if (printModeCode.length !== 1) throw new HostStatusError('string2.r', `string2.r (print mode) is one character, got "${printModeCode}"`);
  const labelWaiting = flag(s2[7], 'string2.t');
  const labelsRemaining = number(s2[8], 'string2.uuuuuuuu');
  const graphicsStored = number(s2[10], 'string2.www');
  // String 3: xxxx,y — the password is not kept.
  const s3 = fieldsOf(c, 3, 2);
  const staticRamInstalled = flag(s3[1], 'string3.y');

  const holds: Record<PrinterCondition, boolean> = {
    'head-open': headOpen,
    'paper-out': paperOut,
    'ribbon-out': ribbonOut,
    'over-temperature': overTemperature,
    'configuration-lost': configurationLost,
    'under-temperature': underTemperature,
    'buffer-full': bufferFull,
    paused,
  };
  const conditions = PRINTER_STATES.filter((s): s is PrinterCondition => s !== 'ready' && holds[s]);
  const mode = /^[0-9]$/.test(printModeCode) ? PRINT_MODES[Number(printModeCode)] : undefined;
  return {
    ready: conditions.length === 0,
    state: conditions[0] ?? 'ready',
    conditions,
    paperOut,
    paused,
    headOpen,
    ribbonOut,
    overTemperature,
    underTemperature,
    bufferFull,
    configurationLost,
    partialFormat,
    diagnosticMode,
    labelWaiting,
    thermalTransfer,
    printMode: mode ?? null,
    printModeCode,
    labelLengthDots,
    formatsInBuffer,
    labelsRemaining,
    graphicsStored,
    communicationSettings,
    functionSettings,
    staticRamInstalled,
  };
}
