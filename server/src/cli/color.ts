// ANSI colours, or none. Colour is on for a terminal unless NO_COLOR is set
// (https://no-color.org) or --no-color was given; --color forces it on.
export interface Palette {
  readonly enabled: boolean;
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly error: (s: string) => string;
  readonly warning: (s: string) => string;
  readonly note: (s: string) => string;
  readonly state: (s: string) => string;
}

const wrap =
  (open: number, close: number) =>
  (s: string): string =>
    `\x1b[${open}m${s}\x1b[${close}m`;

const identity = (s: string): string => s;

export const PLAIN: Palette = {
  enabled: false,
  bold: identity,
  dim: identity,
  error: identity,
  warning: identity,
  note: identity,
  state: identity,
};

export const ANSI: Palette = {
  enabled: true,
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  error: wrap(31, 39),
  warning: wrap(33, 39),
  note: wrap(36, 39),
  state: wrap(32, 39),
};

export function useColor(forced: boolean | undefined, isTty: boolean, env: NodeJS.ProcessEnv): boolean {
  if (forced !== undefined) return forced;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return isTty && env.TERM !== 'dumb';
}
