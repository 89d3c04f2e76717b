// Settings of the language server, resolved per document through
// `workspace/configuration` (never kept in globals beyond a per-URI cache that
// a configuration change clears). Defaults mirror package.json.
import type { DiagnosticCode, VantagePoint } from './analysis';

export type InlayStates = 'both' | 'sender' | 'off';
export type ConnectionNames = 'auto' | 'always' | 'off';
export type SeverityOverride = 'error' | 'warning' | 'information' | 'hint' | 'off';

export interface Settings {
  readonly inlayHints: {
    readonly states: InlayStates;
    readonly compact: boolean;
    readonly connectionNames: ConnectionNames;
  };
  readonly diagnostics: {
    readonly enable: boolean;
    /** Show the analysis notes (findings of severity information/hint). */
    readonly analysisNotes: boolean;
    readonly severity: Readonly<Partial<Record<DiagnosticCode, SeverityOverride>>>;
  };
  readonly codeLens: { readonly enable: boolean };
  readonly semanticHighlighting: { readonly connections: boolean; readonly retransmissions: boolean };
  readonly analysis: {
    readonly vantage: VantagePoint | 'auto';
    readonly synFlood: {
      readonly minHalfOpen: number;
      readonly minSources: number;
      readonly windowSeconds: number;
      readonly minHalfOpenShare: number;
    };
  };
}

export const DEFAULT_SETTINGS: Settings = {
  inlayHints: { states: 'both', compact: false, connectionNames: 'auto' },
  diagnostics: { enable: true, analysisNotes: true, severity: {} },
  codeLens: { enable: true },
  semanticHighlighting: { connections: true, retransmissions: true },
  analysis: {
    vantage: 'auto',
    synFlood: { minHalfOpen: 20, minSources: 5, windowSeconds: 10, minHalfOpenShare: 0.5 },
  },
};

const INLAY_STATES: readonly InlayStates[] = ['both', 'sender', 'off'];
const CONNECTION_NAMES: readonly ConnectionNames[] = ['auto', 'always', 'off'];
const SEVERITIES: readonly SeverityOverride[] = ['error', 'warning', 'information', 'hint', 'off'];
const VANTAGES: readonly (VantagePoint | 'auto')[] = ['auto', 'client', 'server', 'middle'];

/** Reads the `tcptrace` section as the client sent it; anything malformed falls back to the default. */
export function readSettings(raw: unknown): Settings {
  const section = asRecord(raw);
  const inlay = asRecord(section.inlayHints);
  const diagnostics = asRecord(section.diagnostics);
  const codeLens = asRecord(section.codeLens);
  const semantic = asRecord(section.semanticHighlighting);
  const analysis = asRecord(section.analysis);
  const synFlood = asRecord(analysis.synFlood);
  const d = DEFAULT_SETTINGS;
  const severity: Partial<Record<DiagnosticCode, SeverityOverride>> = {};
  for (const [code, value] of Object.entries(asRecord(diagnostics.severity))) {
    if (SEVERITIES.includes(value as SeverityOverride)) {
      severity[code as DiagnosticCode] = value as SeverityOverride;
    }
  }
  return {
    inlayHints: {
      states: oneOf(inlay.states, INLAY_STATES, d.inlayHints.states),
      compact: bool(inlay.compact, d.inlayHints.compact),
      connectionNames: oneOf(inlay.connectionNames, CONNECTION_NAMES, d.inlayHints.connectionNames),
    },
    diagnostics: {
      enable: bool(diagnostics.enable, d.diagnostics.enable),
      analysisNotes: bool(diagnostics.analysisNotes, d.diagnostics.analysisNotes),
      severity,
    },
    codeLens: { enable: bool(codeLens.enable, d.codeLens.enable) },
    semanticHighlighting: {
      connections: bool(semantic.connections, d.semanticHighlighting.connections),
      retransmissions: bool(semantic.retransmissions, d.semanticHighlighting.retransmissions),
    },
    analysis: {
      vantage: oneOf(analysis.vantage, VANTAGES, d.analysis.vantage),
      synFlood: {
        minHalfOpen: Math.round(numberIn(synFlood.minHalfOpen, 2, Infinity, d.analysis.synFlood.minHalfOpen)),
        minSources: Math.round(numberIn(synFlood.minSources, 1, Infinity, d.analysis.synFlood.minSources)),
        windowSeconds: numberIn(
          synFlood.windowSeconds,
          Number.MIN_VALUE,
          Infinity,
          d.analysis.synFlood.windowSeconds,
        ),
        minHalfOpenShare: numberIn(synFlood.minHalfOpenShare, 0, 1, d.analysis.synFlood.minHalfOpenShare),
      },
    },
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** A finite number within [min, max], else the fallback. */
function numberIn(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max
    ? value
    : fallback;
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}
