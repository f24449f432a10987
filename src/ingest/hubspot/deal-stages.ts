import { isObject } from '../api/malformed-response.ts';

/** Where a deal stands: the canonical `deals.status`. */
export type DealStatus = 'open' | 'won' | 'lost';

/** A deal stage as the pipelines API defines it. */
export interface StageInfo {
  readonly label: string;
  readonly pipeline: string;
  /** undefined when the definition does not say (see `problem`) */
  readonly status?: DealStatus;
  /** why the stage's status cannot be told, for the rejected row */
  readonly problem?: string;
}

/** Deal stages by id, from every deal pipeline. */
export interface DealStages {
  /** the stage, preferring the deal's own pipeline when ids repeat across pipelines */
  lookup(stageId: string, pipelineId?: string): StageInfo | undefined;
}

/**
 * Reads the body of GET /crm/v3/pipelines/deals. A stage is open unless `metadata.isClosed` is
 * true; a closed stage is won at probability 1.0 and lost at 0.0, as HubSpot's own closed-won and
 * closed-lost stages are. A closed stage with another probability cannot be told apart and is
 * reported, so that its deals are rejected with the fix rather than counted wrongly.
 * @example dealStages(body).lookup('closedwon')?.status // 'won'
 */
export function dealStages(body: unknown): DealStages {
  const byPipeline = new Map<string, Map<string, StageInfo>>();
  const byId = new Map<string, StageInfo>();
  const pipelines = isObject(body) && Array.isArray(body.results) ? body.results : [];
  for (const p of pipelines) {
    if (!isObject(p) || !Array.isArray(p.stages)) continue;
    const pipelineId = String(p.id);
    const pipeline = typeof p.label === 'string' ? p.label : pipelineId;
    const stages = new Map<string, StageInfo>();
    for (const s of p.stages) {
      if (!isObject(s) || s.id === undefined) continue;
      const info = stageInfo(s, pipeline);
      stages.set(String(s.id), info);
      if (!byId.has(String(s.id))) byId.set(String(s.id), info);
    }
    byPipeline.set(pipelineId, stages);
  }
  return {
    lookup: (stageId, pipelineId) => (pipelineId !== undefined ? byPipeline.get(pipelineId)?.get(stageId) : undefined) ?? byId.get(stageId),
  };
}

function stageInfo(s: Record<string, unknown>, pipeline: string): StageInfo {
  const label = typeof s.label === 'string' ? s.label : String(s.id);
  const meta = isObject(s.metadata) ? s.metadata : {};
  const closed = String(meta.isClosed) === 'true';
  if (!closed) return { label, pipeline, status: 'open' };
  const probability = Number(meta.probability);
  if (probability === 1) return { label, pipeline, status: 'won' };
  if (probability === 0) return { label, pipeline, status: 'lost' };
  return {
    label,
    pipeline,
    problem: `stage '${label}' of pipeline '${pipeline}' is closed with probability ${String(meta.probability)}, so it is neither won (1.0) nor lost (0.0); map it with fields.deals.status: { from: dealstage, map: { <stage id>: won } }`,
  };
}
