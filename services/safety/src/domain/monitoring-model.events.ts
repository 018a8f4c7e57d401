import type { MonitoringModel } from '@reflux/process-monitoring';

/** How live samples become model rows: a grid of `samplePeriodS`, values held at most `maxHoldS` (see `sample-grid.ts`). */
export interface GridSettings {
  readonly samplePeriodS: number;
  readonly maxHoldS: number;
}

/** Where a model came from: fitted by the service on a period of ingestion's history, or imported (a `reflux safety pca-fit` file). */
export type ModelOrigin = { readonly kind: 'history'; readonly from: string; readonly to: string; readonly rows: number } | { readonly kind: 'import'; readonly name: string };

export type MonitoringModelEvent =
  | {
      readonly type: 'MonitoringModelFitted';
      readonly data: { readonly plantId: string; readonly unitId: string; readonly version: number; readonly model: MonitoringModel; readonly grid: GridSettings; readonly origin: ModelOrigin; readonly at: string; readonly by: string };
    }
  | { readonly type: 'MonitoringModelActivated'; readonly data: { readonly plantId: string; readonly unitId: string; readonly version: number; readonly at: string; readonly by: string } };

export type MonitoringModelCommand =
  | {
      readonly type: 'RegisterModel';
      readonly data: {
        readonly plantId: string;
        readonly unitId: string;
        readonly model: MonitoringModel;
        readonly grid: GridSettings;
        readonly origin: ModelOrigin;
        readonly activate: boolean;
        readonly at: string;
        readonly by: string;
        /** The plant's configured units and tags (what the engine hands the monitors). */
        readonly knownUnits: ReadonlySet<string>;
        readonly knownTags: ReadonlySet<string>;
      };
    }
  | { readonly type: 'ActivateModel'; readonly data: { readonly unitId: string; readonly version: number; readonly at: string; readonly by: string } };
