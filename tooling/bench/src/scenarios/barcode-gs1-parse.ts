/**
 * barcode-gs1-parse: GS1 parses per second.
 *
 * The scans are a fixed mix of what a warehouse sees: GS1 DataMatrix element strings with a
 * symbology identifier and FNC1 separators (GTIN + expiry + lot + serial), GS1-128 strings with
 * weights (310n), bracketed human-readable text, and GS1 Digital Link URIs. Each scan's expected
 * elements are known, and both sides are checked against them.
 *
 * - Setup prints the pure rate, single-threaded: the plugin's `parseGs1` (the full AI table,
 *   check digits, dates with the century rule and day 00, decimals, Digital Link), against a raw
 *   baseline parser that knows only the AIs in the mix and checks nothing.
 * - Timed iterations: `POST /api/barcode/gs1/parse { data }`. The platform target runs the
 *   plugin's route; the baseline target is plain Fastify running the raw parser. Neither touches
 *   the database, so this measures the parse and the HTTP path.
 */
import { check, defineScenario, type IterationContext } from '../scenario.js';
import { clientFor, envInt, fmt, table } from './inventory-stock-on-hand.js';
import { closeWithBaseline, pluginPlatformUrl, type PluginSetup } from '../plugin-platforms.js';

const NAME = 'barcode-gs1-parse';
const GS = '\u001d';

const BARCODE: PluginSetup = {
  key: 'barcode',
  plugins: async () => [(await import('@quartermaster/plugin-barcode/server')).barcodePlugin],
  options: { barcode: {} },
};

/** The mix: scan text and the AI → value pairs it holds. */
const SCANS: { data: string; elements: [string, string][] }[] = [
  {
    data: `]d2010950110153000317291231${GS}10AB-123${GS}2112345678`,
    elements: [['01', '09501101530003'], ['17', '291231'], ['10', 'AB-123'], ['21', '12345678']],
  },
  {
    data: `]C101095011015300033103000750${GS}10LOT7`,
    elements: [['01', '09501101530003'], ['3103', '000750'], ['10', 'LOT7']],
  },
  { data: '(01)09501101530003(17)300630(10)XYZ/99', elements: [['01', '09501101530003'], ['17', '300630'], ['10', 'XYZ/99']] },
  {
    data: 'https://id.gs1.org/01/09520123456788/10/ABC123?17=291225',
    elements: [['01', '09520123456788'], ['10', 'ABC123'], ['17', '291225']],
  },
  { data: `]Q3010952012345678821SN-0042${GS}17281130`, elements: [['01', '09520123456788'], ['21', 'SN-0042'], ['17', '281130']] },
];

// ------------------------------------------------------------------------------------------------
// The raw baseline: only the AIs of the mix, no validation.
// ------------------------------------------------------------------------------------------------

const FIXED: Record<string, number> = { '01': 14, '17': 6 };
const VARIABLE = new Set(['10', '21']);

/** Element string or bracketed text or a Digital Link URI, into AI/value pairs. */
export function rawParse(data: string): [string, string][] {
  if (data.startsWith('http')) {
    const u = new URL(data);
    const parts = u.pathname.split('/').filter(Boolean);
    const out: [string, string][] = [];
    for (let i = 0; i + 1 < parts.length; i += 2) out.push([parts[i], decodeURIComponent(parts[i + 1])]);
    for (const [k, v] of u.searchParams) out.push([k, v]);
    return out;
  }
  if (data.startsWith('(')) {
    const out: [string, string][] = [];
    const re = /\((\d{2,4})\)([^(]*)/g;
    for (let m = re.exec(data); m; m = re.exec(data)) out.push([m[1], m[2]]);
    return out;
  }
  let s = data.startsWith(']') ? data.slice(3) : data;
  const out: [string, string][] = [];
  while (s.length) {
    if (s[0] === GS) {
      s = s.slice(1);
      continue;
    }
    const two = s.slice(0, 2);
    if (FIXED[two]) {
      out.push([two, s.slice(2, 2 + FIXED[two])]);
      s = s.slice(2 + FIXED[two]);
    } else if (VARIABLE.has(two)) {
      const end = s.indexOf(GS);
      out.push([two, end < 0 ? s.slice(2) : s.slice(2, end)]);
      s = end < 0 ? '' : s.slice(end + 1);
    } else if (two === '31') {
      out.push([s.slice(0, 4), s.slice(4, 10)]);
      s = s.slice(10);
    } else throw new Error(`raw parser: unknown AI at "${s.slice(0, 8)}"`);
  }
  return out;
}

// ------------------------------------------------------------------------------------------------

interface ParseAnswer {
  elements: { ai: string; value: string }[];
}

function checkAnswer(body: ParseAnswer, i: number, who: string) {
  const want = SCANS[i % SCANS.length].elements;
  const got = (body.elements ?? []).map((e) => [e.ai, e.value]);
  check(JSON.stringify(got) === JSON.stringify(want), `${who}: scan ${i % SCANS.length} parsed as ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
}

async function iteration(i: number, { target, state }: IterationContext<{ url: string }>) {
  const http = clientFor(state.url, target.token);
  const res = await http.post<ParseAnswer>('/api/barcode/gs1/parse', { data: SCANS[i % SCANS.length].data });
  check(res.status === 200, `${target.kind}: POST /gs1/parse answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  checkAnswer(res.body, i, target.kind);
}

async function pureRates() {
  const domain = await import('@quartermaster/plugin-barcode/domain');
  const n = envInt('BENCH_GS1_PARSES', 200_000);
  const today = new Date().toISOString().slice(0, 10);
  for (let i = 0; i < SCANS.length; i++) {
    const full = domain.parseGs1(SCANS[i].data, { today });
    checkAnswer(full as ParseAnswer, i, 'parseGs1');
    checkAnswer({ elements: rawParse(SCANS[i].data).map(([ai, value]) => ({ ai, value })) }, i, 'raw parser');
  }
  const time = (fn: (s: string) => unknown) => {
    for (let i = 0; i < 20_000; i++) fn(SCANS[i % SCANS.length].data); // warm up the JIT
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn(SCANS[i % SCANS.length].data);
    return n / ((performance.now() - t0) / 1000);
  };
  const raw = time(rawParse);
  const full = time((s) => domain.parseGs1(s, { today }));
  console.log(`  [${NAME}] pure parse rate, ${fmt(n)} scans, one thread:`);
  console.log(
    table([
      ['', 'parses/s', 'ratio'],
      ['raw parser (known AIs, no checks)', fmt(Math.round(raw)), '1.00×'],
      ['parseGs1 (full table, check digits, dates, Digital Link)', fmt(Math.round(full)), `${(full / raw).toFixed(2)}×`],
    ])
      .split('\n')
      .map((l) => '    ' + l)
      .join('\n'),
  );
}

export default defineScenario<{ url: string }>({
  name: NAME,
  description: 'POST /api/barcode/gs1/parse over a mix of GS1 DataMatrix, GS1-128, bracketed and Digital Link scans (baseline: a parser of the known AIs without checks)',
  async setup(target) {
    if (target.kind === 'platform') await pureRates();
    return { url: await pluginPlatformUrl(BARCODE, target) };
  },
  baselineRoutes(app) {
    closeWithBaseline(app);
    app.post('/api/barcode/gs1/parse', async (req) => {
      const { data } = req.body as { data: string };
      return { elements: rawParse(data).map(([ai, value]) => ({ ai, value })) };
    });
  },
  platform: iteration,
  baseline: iteration,
});
