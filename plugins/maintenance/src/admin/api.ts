/**
 * Typed calls to the whole maintenance API (`/api/maintenance/…`, every route of
 * `src/server/routes/*.routes.ts`) and the few fixed-assets and core calls the pages need, through
 * the shell's client from `useApi()`: session cookie, CSRF header, problem+json errors thrown with
 * `status`, `detail`, `fieldErrors` and `body`. Call `useMaintenanceApi()` in `setup()`.
 *
 * Grouped as the routes are: work orders (with checklist, labour, parts, external costs,
 * attachments), breakdowns, catalogue (templates, teams, technicians, failure codes, criticality,
 * category settings), plans, points and readings, calibration, reports (each with a CSV link),
 * calendar, dashboard, scheduler, notifications.
 */
import { useApi, type ConsoleApi, type CoreLocationNode } from '@quartermaster/ui';
import { BASE } from './constants';
import type {
  AssetProfile,
  AttachmentInput,
  BacklogQuery,
  BacklogReport,
  BreakdownInput,
  BreakdownLookup,
  BreakdownReport,
  Calibration,
  CalibrationAttachment,
  CalibrationInput,
  CalibrationListQuery,
  CalibrationReport,
  CalibrationReportQuery,
  CalendarQuery,
  CategoryMaintenanceSettings,
  CategoryMaintenanceSettingsInput,
  ChecklistAnswer,
  ChecklistAnswerInput,
  ChecklistTemplate,
  ChecklistTemplateInput,
  ChecklistTemplatePatch,
  ComplianceQuery,
  ComplianceReport,
  CostQuery,
  CostReport,
  Criticality,
  Dashboard,
  ExternalCostInput,
  FaAsset,
  FailureCode,
  FailureCodeInput,
  FailureCodeKind,
  FailureCodePatch,
  GenerationRun,
  Instrument,
  InstrumentDetail,
  InstrumentInput,
  InstrumentListQuery,
  IsoDate,
  LabourInput,
  MaintenanceCalendar,
  MaintenanceNotification,
  MeasurementPoint,
  NotificationKind,
  NotificationList,
  PageQuery,
  Paged,
  PartInput,
  Plan,
  PlanAsset,
  PlanInput,
  PlanListQuery,
  PlanPatch,
  PlanPreview,
  PlanPreviewInput,
  PlatformInfo,
  PointInput,
  PointKind,
  PointPatch,
  Reading,
  ReadingImportInput,
  ReadingImportReport,
  ReadingListQuery,
  ReadingsInput,
  RecordedReading,
  ReliabilityQuery,
  ReliabilityReport,
  Session,
  SweepResult,
  Team,
  TeamInput,
  TeamPatch,
  Technician,
  TechnicianInput,
  TriggerKindInfo,
  WorkOrderAction,
  WorkOrderActionBodies,
  WorkOrderAttachment,
  WorkOrderDetail,
  WorkOrderInput,
  WorkOrderListQuery,
  WorkOrderPatch,
  WorkOrderSummary,
} from './types';

type Scalar = string | number | boolean | null | undefined;
export type Query = Record<string, Scalar | readonly Scalar[]>;
const enc = encodeURIComponent;

/**
 * `path?query` for queries with repeated parameters (`status=a&status=b`), which the shell's
 * client (one value per key) cannot send; empty values are left out.
 */
export function withQuery(path: string, query: object = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query as Query)) {
    for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined && one !== null && one !== '') params.append(k, String(one));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/** Same-origin URL of a report as CSV (cookie-authenticated): for download links. */
const csv = (path: string, query: object) => withQuery(path, { ...query, format: 'csv' });

export function maintenanceApi(api: ConsoleApi) {
  const wo = (id: string) => `${BASE}/work-orders/${enc(id)}`;
  return {
    workOrders: {
      /** Board, lists and calendar; repeated `status`/`type`/`priority` match any. */
      list: (q: WorkOrderListQuery = {}) => api.get<Paged<WorkOrderSummary>>(withQuery(`${BASE}/work-orders`, q)),
      get: (id: string) => api.get<WorkOrderDetail>(wo(id)),
      /** By hand (`maintenance.work-order.manage`); starts requested (or approved when asked). */
      create: (body: WorkOrderInput) => api.post<WorkOrderDetail>(`${BASE}/work-orders`, body),
      /** Open orders only; send the `version` you edited. */
      update: (id: string, body: WorkOrderPatch) => api.patch<WorkOrderDetail>(wo(id), body),
      /** `POST /work-orders/:id/<action>`: illegal from the current status is 409 `maintenance/illegal-transition`. */
      act: <A extends WorkOrderAction>(id: string, action: A, body: WorkOrderActionBodies[A]) => api.post<WorkOrderDetail>(`${wo(id)}/${action}`, body),
      /** One checklist answer, while in progress; answers the item and whether completion is possible now. */
      answer: (id: string, itemId: string, body: ChecklistAnswerInput) => api.put<ChecklistAnswer>(`${wo(id)}/checklist/${enc(itemId)}`, body),
      /** Copy an active checklist template's items onto an open order (after the items it has); answers the detail. */
      addChecklist: (id: string, body: { templateId: string }) => api.post<WorkOrderDetail>(`${wo(id)}/checklist`, body),
      labour: {
        add: (id: string, body: LabourInput) => api.post<WorkOrderDetail>(`${wo(id)}/labour`, body),
        remove: (id: string, labourId: string) => api.delete<WorkOrderDetail>(`${wo(id)}/labour/${enc(labourId)}`),
      },
      parts: {
        /** `unitCost` only (and then required) when inventory is not enabled. */
        add: (id: string, body: PartInput) => api.post<WorkOrderDetail>(`${wo(id)}/parts`, body),
        remove: (id: string, partId: string) => api.delete<WorkOrderDetail>(`${wo(id)}/parts/${enc(partId)}`),
      },
      externalCosts: {
        add: (id: string, body: ExternalCostInput) => api.post<WorkOrderDetail>(`${wo(id)}/external-costs`, body),
        remove: (id: string, costId: string) => api.delete<WorkOrderDetail>(`${wo(id)}/external-costs/${enc(costId)}`),
      },
      attachments: {
        upload: (id: string, body: AttachmentInput) => api.post<WorkOrderAttachment>(`${wo(id)}/attachments`, body),
        remove: (id: string, attachmentId: string) => api.delete(`${wo(id)}/attachments/${enc(attachmentId)}`),
        /** Same-origin URL of the content (cookie-authenticated): for `<img src>` and download links. */
        contentUrl: (id: string, attachmentId: string) => `${wo(id)}/attachments/${enc(attachmentId)}`,
      },
    },
    breakdowns: {
      /**
       * What a scanned or typed code names, resolved as `report` will, with the active problem codes
       * (needs `maintenance.breakdown.report` only); 404 `maintenance/unknown-asset-code`, 409
       * `maintenance/ambiguous-code` (`assets: [{ id, label }]` in the problem body).
       */
      lookup: (code: string) => api.get<BreakdownLookup>(`${BASE}/breakdowns/asset`, { code }),
      /** By `code` (scanned tag or other identifier) or `assetId`, exactly one; 404 `maintenance/unknown-asset-code`, 409 `maintenance/ambiguous-code`. */
      report: (body: BreakdownInput) => api.post<BreakdownReport>(`${BASE}/breakdowns`, body),
    },
    checklistTemplates: {
      list: (q: { active?: boolean; q?: string } & PageQuery = {}) => api.get<Paged<ChecklistTemplate>>(withQuery(`${BASE}/checklist-templates`, q)),
      get: (id: string) => api.get<ChecklistTemplate>(`${BASE}/checklist-templates/${enc(id)}`),
      create: (body: ChecklistTemplateInput) => api.post<ChecklistTemplate>(`${BASE}/checklist-templates`, body),
      update: (id: string, body: ChecklistTemplatePatch) => api.patch<ChecklistTemplate>(`${BASE}/checklist-templates/${enc(id)}`, body),
      /** 409 `maintenance/template-in-use` when a plan names it: deactivate instead. */
      remove: (id: string) => api.delete(`${BASE}/checklist-templates/${enc(id)}`),
    },
    teams: {
      list: (q: { q?: string } = {}) => api.get<{ data: Team[] }>(withQuery(`${BASE}/teams`, q)),
      get: (id: string) => api.get<Team>(`${BASE}/teams/${enc(id)}`),
      create: (body: TeamInput) => api.post<Team>(`${BASE}/teams`, body),
      update: (id: string, body: TeamPatch) => api.patch<Team>(`${BASE}/teams/${enc(id)}`, body),
      /** The whole member list. */
      setMembers: (id: string, userIds: string[]) => api.put<Team>(`${BASE}/teams/${enc(id)}/members`, { userIds }),
      remove: (id: string) => api.delete(`${BASE}/teams/${enc(id)}`),
    },
    technicians: {
      /** Users with a labour rate or in a team (`teamId`: that team's members). */
      list: (q: { teamId?: string } = {}) => api.get<{ data: Technician[] }>(withQuery(`${BASE}/technicians`, q)),
      put: (userId: string, body: TechnicianInput) => api.put<Technician>(`${BASE}/technicians/${enc(userId)}`, body),
    },
    failureCodes: {
      list: (q: { kind?: FailureCodeKind; active?: boolean } = {}) => api.get<{ data: FailureCode[] }>(withQuery(`${BASE}/failure-codes`, q)),
      create: (body: FailureCodeInput) => api.post<FailureCode>(`${BASE}/failure-codes`, body),
      update: (kind: FailureCodeKind, code: string, body: FailureCodePatch) => api.patch<FailureCode>(`${BASE}/failure-codes/${enc(kind)}/${enc(code)}`, body),
      remove: (kind: FailureCodeKind, code: string) => api.delete(`${BASE}/failure-codes/${enc(kind)}/${enc(code)}`),
    },
    assetProfiles: {
      /** The asset's criticality (A/B/C), which drives work order priority. */
      get: (assetId: string) => api.get<AssetProfile>(`${BASE}/assets/${enc(assetId)}/profile`),
      /** `null` removes the asset's own value (the category default applies, else C). */
      put: (assetId: string, criticality: Criticality | null) => api.put<AssetProfile>(`${BASE}/assets/${enc(assetId)}/profile`, { criticality }),
    },
    categorySettings: {
      get: (categoryId: string) => api.get<CategoryMaintenanceSettings>(`${BASE}/categories/${enc(categoryId)}/settings`),
      put: (categoryId: string, body: CategoryMaintenanceSettingsInput) => api.put<CategoryMaintenanceSettings>(`${BASE}/categories/${enc(categoryId)}/settings`, body),
    },
    plans: {
      triggerKinds: () => api.get<{ data: TriggerKindInfo[] }>(`${BASE}/trigger-kinds`),
      list: (q: PlanListQuery = {}) => api.get<Paged<Plan>>(withQuery(`${BASE}/plans`, q)),
      get: (id: string) => api.get<Plan>(`${BASE}/plans/${enc(id)}`),
      create: (body: PlanInput) => api.post<Plan>(`${BASE}/plans`, body),
      /** Checked whole with the change applied; `version` optional (409 stale-version when older). */
      update: (id: string, body: PlanPatch) => api.patch<Plan>(`${BASE}/plans/${enc(id)}`, body),
      /** Only a plan that never generated work (409 `maintenance/plan-in-use`: deactivate instead). */
      remove: (id: string) => api.delete(`${BASE}/plans/${enc(id)}`),
      /** Next due dates of a plan being edited (nothing stored). */
      previewDraft: (body: PlanPreviewInput) => api.post<PlanPreview>(`${BASE}/plans/preview`, body),
      /** Next due dates of a stored plan, for one asset it applies to. */
      preview: (id: string, q: { assetId?: string; from?: IsoDate; limit?: number } = {}) => api.get<PlanPreview>(withQuery(`${BASE}/plans/${enc(id)}/preview`, q)),
      assets: (id: string, q: PageQuery = {}) => api.get<Paged<PlanAsset>>(withQuery(`${BASE}/plans/${enc(id)}/assets`, q)),
    },
    points: {
      ofAsset: (assetId: string, q: { kind?: PointKind; active?: boolean } = {}) => api.get<{ data: MeasurementPoint[] }>(withQuery(`${BASE}/assets/${enc(assetId)}/points`, q)),
      get: (assetId: string, code: string) => api.get<MeasurementPoint>(`${BASE}/assets/${enc(assetId)}/points/${enc(code)}`),
      create: (assetId: string, body: PointInput) => api.post<MeasurementPoint>(`${BASE}/assets/${enc(assetId)}/points`, body),
      update: (assetId: string, code: string, body: PointPatch) => api.patch<MeasurementPoint>(`${BASE}/assets/${enc(assetId)}/points/${enc(code)}`, body),
    },
    readings: {
      /** One reading or several; each answers accepted, flagged or rejected (with the reason). */
      record: (assetId: string, code: string, body: ReadingsInput) => api.post<{ data: RecordedReading[] }>(`${BASE}/assets/${enc(assetId)}/points/${enc(code)}/readings`, body),
      ofPoint: (assetId: string, code: string, q: ReadingListQuery = {}) => api.get<Paged<Reading>>(withQuery(`${BASE}/assets/${enc(assetId)}/points/${enc(code)}/readings`, q)),
      /** Every point's readings, newest first (`status=flagged`: the ones waiting for a decision). */
      list: (q: ReadingListQuery & { assetId?: string } = {}) => api.get<Paged<Reading>>(withQuery(`${BASE}/readings`, q)),
      confirm: (id: string, note?: string) => api.post<Reading & { workOrderIds: string[] }>(`${BASE}/readings/${enc(id)}/confirm`, note ? { note } : {}),
      reject: (id: string, note?: string) => api.post<Reading>(`${BASE}/readings/${enc(id)}/reject`, note ? { note } : {}),
      /** CSV as JSON `{ csv }`; all or nothing unless `skipInvalidRows` (422 `maintenance/import-rejected` lists the rows). */
      import: (body: ReadingImportInput) => api.post<ReadingImportReport>(`${BASE}/readings/import`, body),
    },
    instruments: {
      list: (q: InstrumentListQuery = {}) => api.get<Paged<Instrument>>(withQuery(`${BASE}/instruments`, q)),
      get: (assetId: string) => api.get<InstrumentDetail>(`${BASE}/instruments/${enc(assetId)}`),
      /** Make an asset an instrument or change its settings (201 new, 200 changed). */
      put: (assetId: string, body: InstrumentInput) => api.put<Instrument>(`${BASE}/instruments/${enc(assetId)}`, body),
      /** Record a calibration result (409 `maintenance/duplicate-certificate`). */
      record: (assetId: string, body: CalibrationInput) => api.post<Calibration>(`${BASE}/instruments/${enc(assetId)}/calibrations`, body),
    },
    calibrations: {
      list: (q: CalibrationListQuery = {}) => api.get<Paged<Calibration>>(withQuery(`${BASE}/calibrations`, q)),
      get: (id: string) => api.get<Calibration>(`${BASE}/calibrations/${enc(id)}`),
      attach: (id: string, body: AttachmentInput) => api.post<CalibrationAttachment>(`${BASE}/calibrations/${enc(id)}/attachments`, body),
      contentUrl: (id: string, attachmentId: string) => `${BASE}/calibrations/${enc(id)}/attachments/${enc(attachmentId)}`,
    },
    reports: {
      pmCompliance: (q: ComplianceQuery) => api.get<ComplianceReport>(withQuery(`${BASE}/reports/pm-compliance`, q)),
      backlog: (q: BacklogQuery = {}) => api.get<BacklogReport>(withQuery(`${BASE}/reports/backlog`, q)),
      reliability: (q: ReliabilityQuery) => api.get<ReliabilityReport>(withQuery(`${BASE}/reports/reliability`, q)),
      costs: (q: CostQuery) => api.get<CostReport>(withQuery(`${BASE}/reports/costs`, q)),
      calibration: (q: CalibrationReportQuery) => api.get<CalibrationReport>(withQuery(`${BASE}/reports/calibration`, q)),
      /** Download links for the same reports as CSV. */
      csvUrl: {
        pmCompliance: (q: ComplianceQuery) => csv(`${BASE}/reports/pm-compliance`, q),
        backlog: (q: BacklogQuery = {}) => csv(`${BASE}/reports/backlog`, q),
        reliability: (q: ReliabilityQuery) => csv(`${BASE}/reports/reliability`, q),
        costs: (q: CostQuery) => csv(`${BASE}/reports/costs`, q),
        calibration: (q: CalibrationReportQuery) => csv(`${BASE}/reports/calibration`, q),
      },
    },
    /** Upcoming work and forecasts for the month or week view (at most the server's span of days). */
    calendar: (q: CalendarQuery) => api.get<MaintenanceCalendar>(withQuery(`${BASE}/calendar`, q)),
    dashboard: () => api.get<Dashboard>(`${BASE}/dashboard`),
    scheduler: {
      /** A generation pass now (`asOf` default today; not in the future). */
      run: (asOf?: IsoDate) => api.post<GenerationRun>(`${BASE}/scheduler/run`, asOf ? { asOf } : {}),
      sweep: (asOf?: IsoDate) => api.post<SweepResult>(`${BASE}/scheduler/sweep`, asOf ? { asOf } : {}),
      runs: (q: PageQuery = {}) => api.get<Paged<GenerationRun>>(withQuery(`${BASE}/scheduler/runs`, q)),
    },
    notifications: {
      list: (q: { unread?: boolean; kind?: NotificationKind } & PageQuery = {}) => api.get<NotificationList>(withQuery(`${BASE}/notifications`, q)),
      markRead: (id: string) => api.post<MaintenanceNotification>(`${BASE}/notifications/${enc(id)}/read`),
      markAllRead: (kind?: NotificationKind) => api.post<{ marked: number }>(withQuery(`${BASE}/notifications/read-all`, { kind })),
    },
    /** Fixed-assets (a dependency of maintenance): the asset pickers. */
    assets: {
      search: (q: { q?: string; limit?: number }) => api.get<Paged<FaAsset>>('/api/fixed-assets/assets', q),
      get: (id: string) => api.get<FaAsset>(`/api/fixed-assets/assets/${enc(id)}`),
    },
    core: {
      session: () => api.get<Session>('/api/core/session'),
      /** Core version and the plugins enabled on the server (is `inventory` on?). */
      platform: () => api.get<PlatformInfo>('/api/core/platform'),
      /** The location tree, to name the locations of part lines. */
      locationTree: () => api.get<CoreLocationNode[]>('/api/core/locations/tree'),
    },
  };
}

export type MaintenanceApi = ReturnType<typeof maintenanceApi>;

export function useMaintenanceApi(): MaintenanceApi {
  return maintenanceApi(useApi());
}
