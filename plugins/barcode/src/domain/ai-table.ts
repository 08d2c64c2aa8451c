/**
 * The GS1 Application Identifier table (GS1 General Specifications §3.2, "GS1 Application
 * Identifiers in numerical order"), in the decomposed form of the GS1 Barcode Syntax Dictionary
 * (GS1 AISBL, 2025 edition, which tracks General Specifications v25): every AI with its data title,
 * the format of its data field split into components, the checks each component must pass, whether
 * it is a GS1 Digital Link primary key (and with which key qualifiers), and whether it may appear as
 * a Digital Link query-string attribute.
 *
 * Component notation: `N` digits, `X` GS1 AI encodable character set 82, `Y` character set 39,
 * `Z` character set 64 (base64url); `N6` exactly 6, `X..20` 1 to 20; `[…]` optional (only trailing
 * components may be optional). After the comma: the checks (see `ComponentCheck`).
 * Flags: `*` predefined length (no FNC1 separator needed after it, Figure 7.8.5-2),
 * `?` permitted as a GS1 Digital Link data attribute (query string).
 */
import { Gs1Error, at } from './errors.js';

export type CharacterSet = 'N' | 'X' | 'Y' | 'Z';

export type ComponentCheck =
  | 'csum' // GS1 mod-10 check digit (§7.9.1)
  | 'key' // starts with a GS1 Company Prefix (at least 4 digits)
  | 'keyoff1' // the same, after an indicator / extension digit
  | 'yymmd0' // date YYMMDD, DD = 00 allowed (last day of the month)
  | 'yymmdd' // date YYMMDD, a real day
  | 'yyyymmdd' // date YYYYMMDD
  | 'hhmi' // time hhmm
  | 'hh'
  | 'mi'
  | 'ss'
  | 'iso4217' // ISO 4217 numeric currency code
  | 'iso3166' // ISO 3166-1 numeric country code
  | 'iso3166999' // the same, or 999
  | 'iso3166alpha2' // ISO 3166-1 alpha-2 country code
  | 'zero'
  | 'nonzero'
  | 'winding' // 0, 1 or 9
  | 'pieceoftotal' // NNMM, 1 ≤ piece NN ≤ total MM
  | 'pcenc' // percent-encoding well-formed
  | 'latitude'
  | 'longitude'
  | 'yesno'
  | 'hyphen'
  | 'importeridx'
  | 'mediatype'
  | 'iban'
  | 'nozeroprefix'
  | 'csumalpha' // alphanumeric check character pair (§7.9.5)
  | 'hasnondigit'
  | 'posinseqslash'
  | 'iso5218'
  | 'packagetype'
  | 'couponcode'
  | 'couponposoffer';

export interface AiComponent {
  charset: CharacterSet;
  minLength: number;
  maxLength: number;
  optional: boolean;
  checks: readonly ComponentCheck[];
}

/** What the value means beyond its characters, used to derive `date` / `decimal` / `currency`. */
export type AiSemantics = 'none' | 'date' | 'decimal' | 'currency-decimal';

export interface AiDefinition {
  ai: string;
  /** GS1 data title, e.g. "BATCH/LOT". */
  title: string;
  /** General Specifications style format, e.g. "N2+N14", "N3+N13+[X..17]". */
  format: string;
  components: readonly AiComponent[];
  minLength: number;
  maxLength: number;
  /** Every component mandatory and of fixed length: the data has exactly `maxLength` characters. */
  fixedLength: boolean;
  /** In the predefined-length table (Figure 7.8.5-2): never followed by an FNC1 separator. */
  predefinedLength: boolean;
  /** An FNC1 (GS) must separate this element from a following one. */
  fnc1Required: boolean;
  /** Carries a GS1 mod-10 check digit. */
  checkDigit: boolean;
  semantics: AiSemantics;
  /** For decimal AIs: digits after the implied decimal point (the last digit of the AI). */
  decimals?: number;
  /** GS1 Digital Link primary key: the alternative ordered sequences of key qualifiers. */
  dlQualifiers?: readonly (readonly string[])[];
  /** May appear in the query string of a GS1 Digital Link URI. */
  dlDataAttribute: boolean;
}

/*
 * The table. AI ranges "a-b" expand to every AI in between with the same entry; a title ending in
 * "#" gets a per-AI suffix (see RANGE_TITLES).
 */
const TABLE = `
00        *? N18,csum,keyoff1                 dlpkey                  # SSCC
01        *? N14,csum,keyoff1                 dlpkey=22,10,21|235     # GTIN
02        *? N14,csum,keyoff1                                         # CONTENT
03        *  N14,csum,keyoff1                                         # MTO GTIN
10         ? X..20                                                    # BATCH/LOT
11        *? N6,yymmd0                                                # PROD DATE
12        *? N6,yymmd0                                                # DUE DATE
13        *? N6,yymmd0                                                # PACK DATE
15        *? N6,yymmd0                                                # BEST BEFORE or BEST BY
16        *? N6,yymmd0                                                # SELL BY
17        *? N6,yymmd0                                                # USE BY or EXPIRY
20        *? N2                                                       # VARIANT
21           X..20                                                    # SERIAL
22           X..20                                                    # CPV
235          X..28                                                    # TPX
240        ? X..30                                                    # ADDITIONAL ID
241        ? X..30                                                    # CUST. PART No.
242        ? N..6                                                     # MTO VARIANT
243        ? X..20                                                    # PCN
250        ? X..30                                                    # SECONDARY SERIAL
251        ? X..30                                                    # REF. TO SOURCE
253        ? N13,csum,key [X..17]             dlpkey                  # GDTI
254          X..20                                                    # GLN EXTENSION COMPONENT
255        ? N13,csum,key [N..12]             dlpkey                  # GCN
30         ? N..8                                                     # VAR. COUNT
3100-3105 *? N6                                                       # NET WEIGHT (kg)
3110-3115 *? N6                                                       # LENGTH (m)
3120-3125 *? N6                                                       # WIDTH (m)
3130-3135 *? N6                                                       # HEIGHT (m)
3140-3145 *? N6                                                       # AREA (m²)
3150-3155 *? N6                                                       # NET VOLUME (l)
3160-3165 *? N6                                                       # NET VOLUME (m³)
3200-3205 *? N6                                                       # NET WEIGHT (lb)
3210-3215 *? N6                                                       # LENGTH (in)
3220-3225 *? N6                                                       # LENGTH (ft)
3230-3235 *? N6                                                       # LENGTH (yd)
3240-3245 *? N6                                                       # WIDTH (in)
3250-3255 *? N6                                                       # WIDTH (ft)
3260-3265 *? N6                                                       # WIDTH (yd)
3270-3275 *? N6                                                       # HEIGHT (in)
3280-3285 *? N6                                                       # HEIGHT (ft)
3290-3295 *? N6                                                       # HEIGHT (yd)
3300-3305 *? N6                                                       # GROSS WEIGHT (kg)
3310-3315 *? N6                                                       # LENGTH (m), log
3320-3325 *? N6                                                       # WIDTH (m), log
3330-3335 *? N6                                                       # HEIGHT (m), log
3340-3345 *? N6                                                       # AREA (m²), log
3350-3355 *? N6                                                       # VOLUME (l), log
3360-3365 *? N6                                                       # VOLUME (m³), log
3370-3375 *? N6                                                       # KG PER m²
3400-3405 *? N6                                                       # GROSS WEIGHT (lb)
3410-3415 *? N6                                                       # LENGTH (in), log
3420-3425 *? N6                                                       # LENGTH (ft), log
3430-3435 *? N6                                                       # LENGTH (yd), log
3440-3445 *? N6                                                       # WIDTH (in), log
3450-3455 *? N6                                                       # WIDTH (ft), log
3460-3465 *? N6                                                       # WIDTH (yd), log
3470-3475 *? N6                                                       # HEIGHT (in), log
3480-3485 *? N6                                                       # HEIGHT (ft), log
3490-3495 *? N6                                                       # HEIGHT (yd), log
3500-3505 *? N6                                                       # AREA (in²)
3510-3515 *? N6                                                       # AREA (ft²)
3520-3525 *? N6                                                       # AREA (yd²)
3530-3535 *? N6                                                       # AREA (in²), log
3540-3545 *? N6                                                       # AREA (ft²), log
3550-3555 *? N6                                                       # AREA (yd²), log
3560-3565 *? N6                                                       # NET WEIGHT (t oz)
3570-3575 *? N6                                                       # NET VOLUME (oz)
3600-3605 *? N6                                                       # NET VOLUME (qt)
3610-3615 *? N6                                                       # NET VOLUME (gal.)
3620-3625 *? N6                                                       # VOLUME (qt), log
3630-3635 *? N6                                                       # VOLUME (gal.), log
3640-3645 *? N6                                                       # VOLUME (in³)
3650-3655 *? N6                                                       # VOLUME (ft³)
3660-3665 *? N6                                                       # VOLUME (yd³)
3670-3675 *? N6                                                       # VOLUME (in³), log
3680-3685 *? N6                                                       # VOLUME (ft³), log
3690-3695 *? N6                                                       # VOLUME (yd³), log
37         ? N..8                                                     # COUNT
3900-3909  ? N..15                                                    # AMOUNT
3910-3919  ? N3,iso4217 N..15                                         # AMOUNT
3920-3929  ? N..15                                                    # PRICE
3930-3939  ? N3,iso4217 N..15                                         # PRICE
3940-3943  ? N4                                                       # PRCNT OFF
3950-3955  ? N6                                                       # PRICE/UoM
400        ? X..30                                                    # ORDER NUMBER
401        ? X..30,key                        dlpkey                  # GINC
402        ? N17,csum,key                     dlpkey                  # GSIN
403        ? X..30                                                    # ROUTE
410       *? N13,csum,key                                             # SHIP TO LOC
411       *? N13,csum,key                                             # BILL TO
412       *? N13,csum,key                                             # PURCHASE FROM
413       *? N13,csum,key                                             # SHIP FOR LOC
414       *? N13,csum,key                     dlpkey=254|7040         # LOC No.
415       *? N13,csum,key                     dlpkey=8020             # PAY TO
416       *? N13,csum,key                                             # PROD/SERV LOC
417       *? N13,csum,key                     dlpkey=7040             # PARTY
420        ? X..20                                                    # SHIP TO POST
421        ? N3,iso3166 X..9                                          # SHIP TO POST
422        ? N3,iso3166                                               # ORIGIN
423        ? N3,iso3166 [N3],iso3166 [N3],iso3166 [N3],iso3166 [N3],iso3166 # COUNTRY - INITIAL PROCESS
424        ? N3,iso3166                                               # COUNTRY - PROCESS
425        ? N3,iso3166 [N3],iso3166 [N3],iso3166 [N3],iso3166 [N3],iso3166 # COUNTRY - DISASSEMBLY
426        ? N3,iso3166                                               # COUNTRY - FULL PROCESS
427        ? X..3                                                     # ORIGIN SUBDIVISION
4300       ? X..35,pcenc                                              # SHIP TO COMP
4301       ? X..35,pcenc                                              # SHIP TO NAME
4302       ? X..70,pcenc                                              # SHIP TO ADD1
4303       ? X..70,pcenc                                              # SHIP TO ADD2
4304       ? X..70,pcenc                                              # SHIP TO SUB
4305       ? X..70,pcenc                                              # SHIP TO LOC
4306       ? X..70,pcenc                                              # SHIP TO REG
4307       ? X2,iso3166alpha2                                         # SHIP TO COUNTRY
4308       ? X..30                                                    # SHIP TO PHONE
4309       ? N10,latitude N10,longitude                               # SHIP TO GEO
4310       ? X..35,pcenc                                              # RTN TO COMP
4311       ? X..35,pcenc                                              # RTN TO NAME
4312       ? X..70,pcenc                                              # RTN TO ADD1
4313       ? X..70,pcenc                                              # RTN TO ADD2
4314       ? X..70,pcenc                                              # RTN TO SUB
4315       ? X..70,pcenc                                              # RTN TO LOC
4316       ? X..70,pcenc                                              # RTN TO REG
4317       ? X2,iso3166alpha2                                         # RTN TO COUNTRY
4318       ? X..20                                                    # RTN TO POST
4319       ? X..30                                                    # RTN TO PHONE
4320       ? X..35,pcenc                                              # SRV DESCRIPTION
4321       ? N1,yesno                                                 # DANGEROUS GOODS
4322       ? N1,yesno                                                 # AUTH TO LEAVE
4323       ? N1,yesno                                                 # SIG REQUIRED
4324       ? N6,yymmd0 N4,hhmi                                        # NOT BEF DEL DT
4325       ? N6,yymmd0 N4,hhmi                                        # NOT AFT DEL DT
4326       ? N6,yymmdd                                                # REL DATE
4330       ? N6 [X1],hyphen                                           # MAX TEMP F.
4331       ? N6 [X1],hyphen                                           # MAX TEMP C.
4332       ? N6 [X1],hyphen                                           # MIN TEMP F.
4333       ? N6 [X1],hyphen                                           # MIN TEMP C.
7001       ? N13                                                      # NSN
7002       ? X..30                                                    # MEAT CUT
7003       ? N6,yymmdd N4,hhmi                                        # EXPIRY TIME
7004       ? N..4                                                     # ACTIVE POTENCY
7005       ? X..12                                                    # CATCH AREA
7006       ? N6,yymmdd                                                # FIRST FREEZE DATE
7007       ? N6,yymmdd [N6],yymmdd                                    # HARVEST DATE
7008       ? X..3                                                     # AQUATIC SPECIES
7009       ? X..10                                                    # FISHING GEAR TYPE
7010       ? X..2                                                     # PROD METHOD
7011       ? N6,yymmdd [N4],hhmi                                      # TEST BY DATE
7020       ? X..20                                                    # REFURB LOT
7021       ? X..20                                                    # FUNC STAT
7022       ? X..20                                                    # REV STAT
7023       ? X..30,key                                                # GIAI - ASSEMBLY
7030-7039  ? N3,iso3166999 X..27                                      # PROCESSOR #
7040         N1 X1 X1 X1,importeridx                                  # UIC+EXT
7041         X..4,packagetype                                         # UFRGT UNIT TYPE
710-716    ? X..20                                                    # NHRN #
7230-7239  ? X2 X..28                                                 # CERT #
7240       ? X..20                                                    # PROTOCOL
7241       ? N2,mediatype                                             # AIDC MEDIA TYPE
7242       ? X..25                                                    # VCN
7250       ? N8,yyyymmdd                                              # DOB
7251       ? N8,yyyymmdd N4,hhmi                                      # DOB TIME
7252       ? N1,iso5218                                               # BIO SEX
7253       ? X..40,pcenc                                              # FAMILY NAME
7254       ? X..40,pcenc                                              # GIVEN NAME
7255       ? X..10                                                    # SUFFIX
7256       ? X..90,pcenc                                              # FULL NAME
7257       ? X..70,pcenc                                              # PERSON ADDR
7258       ? X3,posinseqslash                                         # BIRTH SEQUENCE
7259       ? X..40,pcenc                                              # BABY
8001       ? N4,nonzero N5,nonzero N3,nonzero N1,winding N1           # DIMENSIONS
8002       ? X..20                                                    # CMT No.
8003       ? N1,zero N13,csum,key [X..16]     dlpkey                  # GRAI
8004       ? X..30,key                        dlpkey=7040             # GIAI
8005       ? N6                                                       # PRICE PER UNIT
8006       ? N14,csum,keyoff1 N4,pieceoftotal dlpkey=22,10,21         # ITIP
8007       ? X..34,iban                                               # IBAN
8008       ? N6,yymmdd N2,hh [N2],mi [N2],ss                          # PROD TIME
8009       ? X..50                                                    # OPTSEN
8010       ? Y..30,key                        dlpkey=8011             # CPID
8011         N..12,nozeroprefix                                       # CPID SERIAL
8012       ? X..20                                                    # VERSION
8013       ? X..25,csumalpha,key              dlpkey                  # GMN
8014         X..25,csumalpha,key,hasnondigit                          # MUDI
8017       ? N18,csum,key                     dlpkey=8019             # GSRN - PROVIDER
8018       ? N18,csum,key                     dlpkey=8019             # GSRN - RECIPIENT
8019         N..10                                                    # SRIN
8020         X..25                                                    # REF No.
8026       ? N14,csum,keyoff1 N4,pieceoftotal                         # ITIP CONTENT
8030       ? Z..90                                                    # DIGSIG
8110       ? X..70,couponcode                                         # COUPON CODE
8111       ? N4                                                       # POINTS
8112       ? X..70,couponposoffer                                     # POSITIVE OFFER FILE COUPON CODE
8200         X..70                                                    # PRODUCT URL
90         ? X..30                                                    # INTERNAL
91-99      ? X..90                                                    # INTERNAL
`;

/** Per-AI titles inside a range whose table title ends in "#". */
const RANGE_TITLES: Record<string, (ai: string) => string> = {
  'PROCESSOR #': (ai) => `PROCESSOR # ${ai.slice(3)}`,
  'CERT #': (ai) => `CERT # ${Number(ai.slice(3)) + 1}`,
  'NHRN #': (ai) => `NHRN ${['PZN', 'CIP', 'CN', 'DRN', 'AIM', 'NDC', 'AIC'][Number(ai.slice(2))]}`,
};

/**
 * The predefined-length AI prefixes of GS1 General Specifications Figure 7.8.5-2 (first two digits
 * of the AI → total length of AI + data). Only these are exempt from the FNC1 separator; the table
 * is fixed by the standard so that old scanners keep working as new AIs are added.
 */
export const PREDEFINED_LENGTH_PREFIXES: Readonly<Record<string, number>> = {
  '00': 20, '01': 16, '02': 16, '03': 16, '04': 18,
  '11': 8, '12': 8, '13': 8, '14': 8, '15': 8, '16': 8, '17': 8, '18': 8, '19': 8, '20': 4,
  '31': 10, '32': 10, '33': 10, '34': 10, '35': 10, '36': 10,
  '41': 16,
};

/** AIs whose last digit is the number of implied decimals of a measure or amount. */
function decimalSemantics(ai: string): { semantics: AiSemantics; decimals?: number } {
  if (ai.length !== 4) return { semantics: 'none' };
  const head = Number(ai.slice(0, 2));
  const prefix3 = ai.slice(0, 3);
  const n = Number(ai[3]);
  if (head >= 31 && head <= 36) return { semantics: 'decimal', decimals: n };
  if (prefix3 === '391' || prefix3 === '393') return { semantics: 'currency-decimal', decimals: n };
  if (prefix3 === '390' || prefix3 === '392' || prefix3 === '394' || prefix3 === '395') {
    return { semantics: 'decimal', decimals: n };
  }
  return { semantics: 'none' };
}

const DATE_CHECKS: readonly ComponentCheck[] = ['yymmd0', 'yymmdd', 'yyyymmdd'];

function parseComponent(spec: string, line: string): AiComponent {
  const m = /^(\[)?([NXYZ])(\.\.)?(\d+)(\])?((?:,[a-z0-9]+)*)$/.exec(spec);
  if (!m || Boolean(m[1]) !== Boolean(m[5])) throw new Error(`AI table: bad component "${spec}" in "${line}"`);
  const length = Number(m[4]);
  return {
    charset: m[2] as CharacterSet,
    minLength: m[3] ? 1 : length,
    maxLength: length,
    optional: Boolean(m[1]),
    checks: m[6] ? (m[6].slice(1).split(',') as ComponentCheck[]) : [],
  };
}

function formatOf(ai: string, components: readonly AiComponent[]): string {
  const parts = components.map((c) => {
    const core = `${c.charset}${c.minLength === c.maxLength ? '' : '..'}${c.maxLength}`;
    return c.optional ? `[${core}]` : core;
  });
  return [`N${ai.length}`, ...parts].join('+');
}

function buildTable(): Map<string, AiDefinition> {
  const table = new Map<string, AiDefinition>();
  for (const raw of TABLE.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const hash = line.indexOf('#');
    const tableTitle = line.slice(hash + 1).trim();
    const tokens = line.slice(0, hash).trim().split(/\s+/);
    const range = tokens.shift()!;
    let flags = '';
    if (/^[*?]+$/.test(tokens[0])) flags = tokens.shift()!;
    const componentSpecs = tokens.filter((t) => /^\[?[NXYZ]/.test(t));
    const dlpkey = tokens.find((t) => t.startsWith('dlpkey'));
    const components = componentSpecs.map((s) => parseComponent(s, line));
    const [first, last = first] = range.split('-');
    for (let n = Number(first); n <= Number(last); n++) {
      const ai = String(n).padStart(first.length, '0');
      const predefined = ai.slice(0, 2) in PREDEFINED_LENGTH_PREFIXES;
      if (predefined !== flags.includes('*')) throw new Error(`AI table: predefined-length flag of ${ai} disagrees with Figure 7.8.5-2`);
      const title = RANGE_TITLES[tableTitle]?.(ai) ?? tableTitle;
      const minLength = components.filter((c) => !c.optional).reduce((s, c) => s + c.minLength, 0);
      const maxLength = components.reduce((s, c) => s + c.maxLength, 0);
      const hasDate = components.some((c) => c.checks.some((k) => DATE_CHECKS.includes(k)));
      const dec = decimalSemantics(ai);
      const definition: AiDefinition = {
        ai,
        title,
        format: formatOf(ai, components),
        components,
        minLength,
        maxLength,
        fixedLength: components.every((c) => !c.optional && c.minLength === c.maxLength),
        predefinedLength: predefined,
        fnc1Required: !predefined,
        checkDigit: components.some((c) => c.checks.includes('csum')),
        semantics: hasDate ? 'date' : dec.semantics,
        // Primary keys are never data attributes: a Digital Link URI carries its one key in the path.
        dlDataAttribute: flags.includes('?') && !dlpkey,
      };
      if (dec.decimals !== undefined) definition.decimals = dec.decimals;
      if (dlpkey) {
        definition.dlQualifiers = dlpkey === 'dlpkey' ? [[]] : dlpkey.slice(7).split('|').map((alt) => alt.split(','));
      }
      if (table.has(ai)) throw new Error(`AI table: ${ai} defined twice`);
      table.set(ai, definition);
    }
  }
  return table;
}

const AIS = buildTable();

/**
 * Length of the AI given its first two digits. GS1 allocates AIs so that the first two digits fix
 * the AI's length (General Specifications §3.1), which is what lets a reader split an element string.
 */
const AI_LENGTH_BY_PREFIX: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  for (const ai of AIS.keys()) {
    const prefix = ai.slice(0, 2);
    const known = map.get(prefix);
    if (known !== undefined && known !== ai.length) throw new Error(`AI table: prefix ${prefix} has AIs of two lengths`);
    map.set(prefix, ai.length);
  }
  return map;
})();

/** Every AI in the table, in numerical order. */
export const AI_TABLE: readonly AiDefinition[] = [...AIS.values()].sort((a, b) => (a.ai < b.ai ? -1 : 1));

/** The definition of `ai`, or undefined when GS1 has not assigned it. */
export function findAi(ai: string): AiDefinition | undefined {
  return AIS.get(ai);
}

/** The definition of `ai`; throws `unknown-ai` when GS1 has not assigned it. */
export function getAi(ai: string, position?: number): AiDefinition {
  const definition = AIS.get(ai);
  if (!definition) {
    throw new Gs1Error(
      'unknown-ai',
      /^\d{2,4}$/.test(ai)
        ? `Unknown Application Identifier (${ai})${at(position)}: it is not in the GS1 AI table`
        : `"${ai}" is not an Application Identifier (2 to 4 digits)${at(position)}`,
      { ai, position },
    );
  }
  return definition;
}

/**
 * Reads the AI at `index` of `data` using the length fixed by its first two digits. Throws
 * `invalid-ai` when no digits are there and `unknown-ai` when the digits name no assigned AI.
 */
export function readAi(data: string, index: number, positionOffset = 0): AiDefinition {
  const position = positionOffset + index;
  const prefix = data.slice(index, index + 2);
  if (!/^\d\d$/.test(prefix)) {
    throw new Gs1Error('invalid-ai', `Expected an Application Identifier (digits)${at(position)}, found "${data.slice(index, index + 4)}"`, { position });
  }
  const length = AI_LENGTH_BY_PREFIX.get(prefix);
  if (length === undefined) {
    throw new Gs1Error('unknown-ai', `Unknown Application Identifier starting "${prefix}"${at(position)}: no GS1 AI begins with these digits`, { ai: prefix, position });
  }
  const ai = data.slice(index, index + length);
  if (ai.length < length || !/^\d+$/.test(ai)) {
    throw new Gs1Error('invalid-ai', `Application Identifier starting "${prefix}" needs ${length} digits${at(position)}, found "${ai}"`, { ai: prefix, position });
  }
  return getAi(ai, position);
}

/** Whether `ai` is a GS1 Digital Link primary key. */
export function isDigitalLinkPrimaryKey(ai: string): boolean {
  return AIS.get(ai)?.dlQualifiers !== undefined;
}
