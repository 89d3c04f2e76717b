// The fields of every arrow the layout reads, one typed array each. A model
// decoded from the wire carries them (DiagramModel.table); for any other model
// they are gathered in one pass. The layout walks all 100,000 arrows of a big
// connection once per view: indexing typed arrays costs a fraction of reading
// twenty-field objects, above all in code that runs once and is not yet optimised.
import { TCP_STATES, type Phase, type TcpState } from '../model';
import type { DiagramFinding, DiagramModel } from './model';

export const PHASES: readonly Phase[] = ['handshake', 'data', 'teardown', 'reset'];
export const SEVERITIES: readonly DiagramFinding['severity'][] = ['hint', 'information', 'warning', 'error'];
export const PHASE_DATA = 1;
export const SEVERITY_WARNING = 2;
export const SEVERITY_ERROR = 3;

export interface ArrowTable {
  readonly connection: Int32Array;
  /** 1 client → server, 0 server → client. */
  readonly c2s: Uint8Array;
  /** Seconds, NaN for none. */
  readonly time: Float64Array;
  readonly len: Float64Array;
  /** Index into PHASES. */
  readonly phase: Int8Array;
  /** Index into TCP_STATES, -1 for unknown. */
  readonly clientState: Int8Array;
  readonly serverState: Int8Array;
  /** Index into SEVERITIES of the worst finding, -1 without findings. */
  readonly severity: Int8Array;
  readonly retransmission: Uint8Array;
}

const STATE_INDEX: ReadonlyMap<TcpState, number> = new Map(TCP_STATES.map((s, i) => [s, i]));
const PHASE_INDEX: ReadonlyMap<Phase, number> = new Map(PHASES.map((p, i) => [p, i]));
const SEVERITY_INDEX: ReadonlyMap<DiagramFinding['severity'], number> = new Map(
  SEVERITIES.map((s, i) => [s, i]),
);

export const stateIndex = (s: TcpState | null): number => (s === null ? -1 : (STATE_INDEX.get(s) ?? -1));
export const phaseIndex = (p: Phase): number => PHASE_INDEX.get(p) ?? PHASE_DATA;
export const severityIndex = (s: DiagramFinding['severity'] | null): number =>
  s === null ? -1 : (SEVERITY_INDEX.get(s) ?? -1);
/** Checked first: reading index -1 of an array is a slow property lookup. */
export const stateOf = (i: number | null): TcpState | null =>
  i === null || i < 0 ? null : (TCP_STATES[i] ?? null);

export function arrowTable(model: DiagramModel): ArrowTable {
  if (model.table && model.table.connection.length === model.arrows.length) return model.table;
  const n = model.arrows.length;
  const table = {
    connection: new Int32Array(n),
    c2s: new Uint8Array(n),
    time: new Float64Array(n),
    len: new Float64Array(n),
    phase: new Int8Array(n),
    clientState: new Int8Array(n),
    serverState: new Int8Array(n),
    severity: new Int8Array(n),
    retransmission: new Uint8Array(n),
  };
  model.arrows.forEach((a, i) => {
    table.connection[i] = a.connection;
    table.c2s[i] = a.direction === 'c2s' ? 1 : 0;
    table.time[i] = a.time ?? NaN;
    table.len[i] = a.len;
    table.phase[i] = phaseIndex(a.phase);
    table.clientState[i] = stateIndex(a.clientState);
    table.serverState[i] = stateIndex(a.serverState);
    table.severity[i] = severityIndex(a.severity);
    table.retransmission[i] = a.retransmission ? 1 : 0;
  });
  return table;
}
