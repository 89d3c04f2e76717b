// The state inferences of per-segment results, as rows of typed columns. A big
// trace makes about one inference per transition (the 50 MB bench trace:
// ~330,000); as objects of their own they cost ~90 bytes each and a boxed number
// for every sequence number they quote (29 MB), and the collector copied them all.
// A row is ~24 bytes: the codes of the state, confidence, rule and sentence, the
// segment's line and the two values the sentence quotes. A reader asks for a few
// (hovers, inlay hints of a viewport): view() makes the StateInference then.
import { TCP_STATES, type Confidence, type StateInference, type TcpState } from './model';
import { Inferred, Sentence, sentence, type Quoted } from './inferences';
import { moveLinesInText, type LineMove } from './lineMoves';

const STATES: readonly (TcpState | null)[] = [null, ...TCP_STATES];
const STATE_CODE = new Map<TcpState | null, number>(STATES.map((s, k) => [s, k]));
const CONFIDENCES: readonly Confidence[] = ['observed', 'provisional', 'assumed'];

/** Every rule any table stored (a few dozen), by code. */
const RULES: string[] = [];
const RULE_CODE = new Map<string, number>();

function ruleCode(rule: string): number {
  let k = RULE_CODE.get(rule);
  if (k === undefined) {
    k = RULES.length;
    RULES.push(rule);
    RULE_CODE.set(rule, k);
  }
  return k;
}

/** How a quoted value is stored: its kind (3 bits; a's in bits 0-2, b's in 3-5) and a 32-bit value. */
const enum Kind {
  Null,
  /** An integer 0 … 2^32-1 (sequence numbers, ports, lines, lengths). */
  Uint,
  True,
  False,
  /** A state's name: the value is its code. */
  State,
  /** An inference: the value is its row. */
  Row,
  /** Anything else (a text, a negative number): in the table's side map. */
  Other,
}

/** `how` of a row that stores an inference object as it is (not made by the walk). */
const LITERAL = 255;

const SHIFT = 12;
const CHUNK = 1 << SHIFT;
const MASK = CHUNK - 1;
/** The first chunk starts this small (a table of a few connections) and grows to CHUNK rows. */
const FIRST = 64;

/** Rows k·CHUNK … k·CHUNK+CHUNK-1. */
class Chunk {
  state: Uint8Array;
  confidence: Uint8Array;
  how: Uint8Array;
  kinds: Uint8Array;
  rule: Uint16Array;
  /** The move that last moved the row's lines (InferenceRows.#epoch). */
  epoch: Uint16Array;
  line: Int32Array;
  a: Uint32Array;
  b: Uint32Array;

  constructor(size: number) {
    this.state = new Uint8Array(size);
    this.confidence = new Uint8Array(size);
    this.how = new Uint8Array(size);
    this.kinds = new Uint8Array(size);
    this.rule = new Uint16Array(size);
    this.epoch = new Uint16Array(size);
    this.line = new Int32Array(size);
    this.a = new Uint32Array(size);
    this.b = new Uint32Array(size);
  }

  get size(): number {
    return this.state.length;
  }

  /** The same rows with room for `size`. */
  grown(size: number): Chunk {
    const c = new Chunk(size);
    c.state.set(this.state);
    c.confidence.set(this.confidence);
    c.how.set(this.how);
    c.kinds.set(this.kinds);
    c.rule.set(this.rule);
    c.epoch.set(this.epoch);
    c.line.set(this.line);
    c.a.set(this.a);
    c.b.set(this.b);
    return c;
  }
}

/** A stored inference, made when read: its sentence is written from the row each time. */
class RowInference implements StateInference {
  readonly #rows: InferenceRows;
  readonly #row: number;

  constructor(
    readonly state: TcpState | null,
    readonly confidence: Confidence,
    readonly rule: string,
    rows: InferenceRows,
    row: number,
  ) {
    this.#rows = rows;
    this.#row = row;
  }

  get reason(): string {
    return this.#rows.reasonOf(this.#row);
  }
}

export class InferenceRows {
  #chunks: Chunk[] = [];
  #length = 0;
  /** The quoted values of kind Other, by row * 2 + (0: a, 1: b). */
  readonly #other = new Map<number, Quoted>();
  /** The inferences stored as they are (LITERAL rows: `a` is the index). */
  readonly #literals: StateInference[] = [];
  readonly #literalRow = new Map<StateInference, number>();
  /** The current move's number and the move (see move()). */
  #epoch = 0;
  #move: LineMove | null = null;
  /** The rows of the table import() last read, by its row. */
  #imported: { from: InferenceRows; rows: Map<number, number> } | null = null;

  /** How many rows the table holds. */
  get length(): number {
    return this.#length;
  }

  /** The row that stores `inference`: the one it already has in this table, or a new one. */
  add(inference: StateInference): number {
    if (inference instanceof Inferred) {
      if (inference.rows === this) return inference.row;
      // A quoted inference first: its row may grow the chunk this one's goes into.
      if (typeof inference.a === 'object' && inference.a !== null) this.add(inference.a);
      if (typeof inference.b === 'object' && inference.b !== null) this.add(inference.b);
      const row = this.#append(inference.state, inference.confidence, inference.rule, inference.how);
      const c = this.#chunks[row >>> SHIFT];
      const k = row & MASK;
      c.line[k] = inference.line;
      c.kinds[k] = this.#quote(row, 0, inference.a) | (this.#quote(row, 1, inference.b) << 3);
      inference.rows = this;
      inference.row = row;
      return row;
    }
    let row = this.#literalRow.get(inference);
    if (row === undefined) {
      row = this.#append(inference.state, inference.confidence, inference.rule, LITERAL);
      this.#chunks[row >>> SHIFT].a[row & MASK] = this.#literals.length;
      this.#literals.push(inference);
      this.#literalRow.set(inference, row);
    }
    return row;
  }

  /**
   * A new row for an inference the walk makes (state.ts), without an object of its own:
   * `how` is its sentence << 2 | the names' bits, `line` its 1-based line, `a` and `b`
   * the values the sentence quotes. `quotes` ≥ 0: `a` is that row's inference instead.
   */
  append(
    state: TcpState | null,
    confidence: Confidence,
    rule: string,
    how: number,
    line: number,
    a: Quoted,
    b: Quoted,
    quotes = -1,
  ): number {
    const row = this.#append(state, confidence, rule, how);
    this.#write(row, line, a, b, quotes);
    return row;
  }

  /**
   * Row `row` of the walk (append()) says this inference instead: the walk replaced it
   * while the same segment was walked, before anything referred to it.
   */
  rewrite(
    row: number,
    state: TcpState | null,
    confidence: Confidence,
    rule: string,
    how: number,
    line: number,
    a: Quoted,
    b: Quoted,
  ): void {
    const c = this.#chunks[row >>> SHIFT];
    const k = row & MASK;
    if (this.#other.size > 0) {
      this.#other.delete(row * 2);
      this.#other.delete(row * 2 + 1);
    }
    c.state[k] = STATE_CODE.get(state) ?? 0;
    c.confidence[k] = CONFIDENCES.indexOf(confidence);
    c.rule[k] = ruleCode(rule);
    c.how[k] = how;
    c.epoch[k] = 0;
    this.#write(row, line, a, b, -1);
  }

  #write(row: number, line: number, a: Quoted, b: Quoted, quotes: number): void {
    const k = row & MASK;
    const kinds = (quotes >= 0 ? Kind.Row : this.#quote(row, 0, a)) | (this.#quote(row, 1, b) << 3);
    // Looked up after quoting: a quoted object gets a row first, which may grow the chunk.
    const c = this.#chunks[row >>> SHIFT];
    if (quotes >= 0) c.a[k] = quotes;
    c.line[k] = line;
    c.kinds[k] = kinds;
  }

  /** The inference of `row`. */
  view(row: number): StateInference {
    const c = this.#chunks[row >>> SHIFT];
    const k = row & MASK;
    if (c.how[k] === LITERAL) return this.#literals[c.a[k]];
    return new RowInference(STATES[c.state[k]], CONFIDENCES[c.confidence[k]], RULES[c.rule[k]], this, row);
  }

  /** The rule of `row` (no object made). */
  ruleOf(row: number): string {
    const c = this.#chunks[row >>> SHIFT];
    const k = row & MASK;
    return c.how[k] === LITERAL ? this.#literals[c.a[k]].rule : RULES[c.rule[k]];
  }

  /** The sentence of `row`, with its lines as moved so far. */
  reasonOf(row: number): string {
    const c = this.#chunks[row >>> SHIFT];
    const k = row & MASK;
    const how = c.how[k];
    if (how === LITERAL) return this.#literals[c.a[k]].reason;
    const kinds = c.kinds[k];
    return sentence(
      how,
      c.line[k],
      this.#quoted(row, 0, kinds & 7, c.a[k]),
      this.#quoted(row, 1, kinds >> 3, c.b[k]),
      STATES[c.state[k]],
    );
  }

  /**
   * The row of `row` after lines moved by `move` (the language server, after lines
   * were inserted or deleted above the segments, without analysing them again). A
   * row of the walk moves in place, once per `move` however many segments share it;
   * a stored object is stored again, as a copy, when its sentence changes.
   */
  move(row: number, move: LineMove): number {
    const c = this.#chunks[row >>> SHIFT];
    const k = row & MASK;
    if (c.how[k] === LITERAL) {
      const inference = this.#literals[c.a[k]];
      const reason = moveLinesInText(inference.reason, [move]);
      if (reason === inference.reason) return row;
      const { state, confidence, rule } = inference;
      return this.add({ state, confidence, rule, reason });
    }
    if (move !== this.#move) this.#nextEpoch(move);
    if (c.epoch[k] === this.#epoch) return row;
    c.epoch[k] = this.#epoch;
    c.line[k] = movedLine(c.line[k], move);
    const kinds = c.kinds[k];
    const sentence = (c.how[k] >> 2) as Sentence;
    // The sentences that name a second line quote it as `a` (1-based).
    if (
      (sentence === Sentence.SndSynAck ||
        sentence === Sentence.RcvSyn ||
        sentence === Sentence.RcvSynNoListener) &&
      (kinds & 7) === Kind.Uint &&
      c.a[k] >= 1
    )
      c.a[k] = movedLine(c.a[k], move);
    // A quoted inference's sentence is part of this one's (moving it may add a row, and
    // grow the chunk: it is looked up again).
    if ((kinds & 7) === Kind.Row) {
      const quoted = this.move(c.a[k], move);
      this.#chunks[row >>> SHIFT].a[k] = quoted;
    }
    if (kinds >> 3 === Kind.Row) {
      const quoted = this.move(c.b[k], move);
      this.#chunks[row >>> SHIFT].b[k] = quoted;
    }
    return row;
  }

  /** The row of this table for row `row` of `from` (a copy, made once per row of `from`). */
  import(from: InferenceRows, row: number): number {
    if (from === this) return row;
    if (this.#imported?.from !== from) this.#imported = { from, rows: new Map() };
    const known = this.#imported.rows.get(row);
    if (known !== undefined) return known;
    const c = from.#chunks[row >>> SHIFT];
    const k = row & MASK;
    let made: number;
    if (c.how[k] === LITERAL) made = this.add(from.#literals[c.a[k]]);
    else {
      const kinds = c.kinds[k];
      // Quoted inferences first (their rows may grow the chunk this one's goes into).
      const a = (kinds & 7) === Kind.Row ? this.import(from, c.a[k]) : c.a[k];
      const b = kinds >> 3 === Kind.Row ? this.import(from, c.b[k]) : c.b[k];
      made = this.#append(STATES[c.state[k]], CONFIDENCES[c.confidence[k]], RULES[c.rule[k]], c.how[k]);
      const to = this.#chunks[made >>> SHIFT];
      const j = made & MASK;
      to.line[j] = c.line[k];
      to.kinds[j] = kinds;
      to.a[j] = a;
      to.b[j] = b;
      if ((kinds & 7) === Kind.Other) this.#other.set(made * 2, from.#other.get(row * 2) ?? null);
      if (kinds >> 3 === Kind.Other) this.#other.set(made * 2 + 1, from.#other.get(row * 2 + 1) ?? null);
    }
    this.#imported.rows.set(row, made);
    return made;
  }

  /** Forgets which rows import() made (their rows may move from now on). */
  endImport(): void {
    this.#imported = null;
  }

  #append(state: TcpState | null, confidence: Confidence, rule: string, how: number): number {
    const row = this.#length++;
    const n = row >>> SHIFT;
    const k = row & MASK;
    let c = this.#chunks[n];
    if (c === undefined) this.#chunks.push((c = new Chunk(n === 0 ? FIRST : CHUNK)));
    else if (k >= c.size) this.#chunks[n] = c = c.grown(Math.min(CHUNK, c.size * 4));
    c.state[k] = STATE_CODE.get(state) ?? 0;
    c.confidence[k] = CONFIDENCES.indexOf(confidence);
    c.rule[k] = ruleCode(rule);
    c.how[k] = how;
    c.epoch[k] = 0;
    return row;
  }

  /** Stores quoted value `v` of `row` (slot 0: a, 1: b): its kind, the value in the column. */
  #quote(row: number, slot: 0 | 1, v: Quoted): Kind {
    const c = this.#chunks[row >>> SHIFT];
    const k = row & MASK;
    const column = slot === 0 ? c.a : c.b;
    if (v === null) return Kind.Null;
    if (v === true) return Kind.True;
    if (v === false) return Kind.False;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff) {
      column[k] = v;
      return Kind.Uint;
    }
    if (typeof v === 'string') {
      const state = STATE_CODE.get(v as TcpState);
      if (state !== undefined) {
        column[k] = state;
        return Kind.State;
      }
    }
    if (typeof v === 'object') {
      // Already stored (add() stores it first): a lookup.
      column[k] = this.add(v);
      return Kind.Row;
    }
    this.#other.set(row * 2 + slot, v);
    return Kind.Other;
  }

  #quoted(row: number, slot: 0 | 1, kind: number, value: number): Quoted {
    switch (kind as Kind) {
      case Kind.Null:
        return null;
      case Kind.Uint:
        return value;
      case Kind.True:
        return true;
      case Kind.False:
        return false;
      case Kind.State:
        return STATES[value];
      case Kind.Row:
        return this.view(value);
      default:
        return this.#other.get(row * 2 + slot) ?? null;
    }
  }

  /** A new move: its own epoch; when the 16-bit epochs wrap, every row's is cleared. */
  #nextEpoch(move: LineMove): void {
    this.#move = move;
    if (++this.#epoch > 0xffff) {
      for (const c of this.#chunks) c.epoch.fill(0);
      this.#epoch = 1;
    }
  }
}

/** A 1-based line after `move` (which moves 0-based lines at or after `from`). */
function movedLine(line: number, move: LineMove): number {
  return line - 1 >= move.from ? line + move.by : line;
}
