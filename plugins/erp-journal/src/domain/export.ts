/**
 * What leaves the platform: the JSON document of an entry (the pushed body and the JSON export),
 * the CSV rows, and the field map that renames fields to what an ERP expects.
 */
export interface EntryDocument {
  id: string;
  number: number;
  idempotencyKey: string;
  entryDate: string;
  period: string;
  sourceType: string;
  sourceRef: string;
  memo: string;
  currency: string;
  redatedFrom: string | null;
  totalDebit: string;
  totalCredit: string;
  lines: LineDocument[];
}

export interface LineDocument {
  lineNo: number;
  account: string;
  role: string;
  debit: string;
  credit: string;
  categoryId: string | null;
  siteId: string | null;
  itemId: string | null;
  assetId: string | null;
  memo: string | null;
}

export const CSV_HEADER = [
  'entry_id',
  'entry_number',
  'entry_date',
  'period',
  'source_type',
  'source_ref',
  'entry_memo',
  'currency',
  'line_no',
  'account',
  'role',
  'debit',
  'credit',
  'category_id',
  'site_id',
  'item_id',
  'asset_id',
  'line_memo',
  'idempotency_key',
] as const;

export const csvRows = (entries: readonly EntryDocument[]) =>
  entries.flatMap((e) =>
    e.lines.map((l) => [e.id, e.number, e.entryDate, e.period, e.sourceType, e.sourceRef, e.memo, e.currency, l.lineNo, l.account, l.role, l.debit, l.credit, l.categoryId, l.siteId, l.itemId, l.assetId, l.memo, e.idempotencyKey]),
  );

/**
 * Rename fields of a document: keys are field names of the entry (`entryDate`) or of its lines
 * (`lines.account`), values the ERP's names. Fields not named keep their names; the structure stays.
 */
export function applyFieldMap(doc: EntryDocument, fieldMap: Readonly<Record<string, string>>): Record<string, unknown> {
  const top: Record<string, string> = {};
  const line: Record<string, string> = {};
  for (const [from, to] of Object.entries(fieldMap)) {
    if (from.startsWith('lines.')) line[from.slice(6)] = to;
    else top[from] = to;
  }
  const rename = (o: Record<string, unknown>, map: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [map[k] ?? k, v]));
  return rename({ ...doc, lines: doc.lines.map((l) => rename({ ...l }, line)) } as unknown as Record<string, unknown>, top);
}
