// Line numbers that moved because lines were inserted or deleted above them
// (the language server's incremental analysis moves what it does not analyse
// again). Sentences of the analysis name trace lines as `line N` / `Line N`
// (1-based); these functions renumber them.

/** A 0-based line at or after `from` moves by `by`. */
export interface LineMove {
  readonly from: number;
  readonly by: number;
}

/** Moves applied in order. */
export type LineMoves = readonly LineMove[];

export function moveLine(line: number, moves: LineMoves): number {
  let l = line;
  for (const m of moves) if (l >= m.from) l += m.by;
  return l;
}

const LINE_REF = /\b([Ll]ine) (\d+)/g;

/** The sentence with every trace line it names moved. */
export function moveLinesInText(text: string, moves: LineMoves): string {
  if (!/[Ll]ine \d/.test(text)) return text;
  return text.replace(LINE_REF, (whole, word: string, n: string) => {
    const line = Number(n) - 1;
    const moved = moveLine(line, moves);
    return moved === line ? whole : `${word} ${moved + 1}`;
  });
}
