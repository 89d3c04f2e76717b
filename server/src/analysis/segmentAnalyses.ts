// The per-segment results of an analysis, kept in columns: typed arrays for the
// numbers and bits, the state inferences as rows of a table of their own
// (inferenceRows.ts; the segments between two transitions share one), the roles
// as codes (roleTexts.ts), the codes as an index into one table of distinct code
// lists. A big trace has hundreds of thousands of segments and a reader asks for
// a few of them (hovers, inlay hints of a viewport): an object per segment cost
// about 150 bytes each, kept, and the collector copied every one of them during
// the walk. get(i) makes the SegmentAnalysis, and its inferences, when it is read.
import type { DiagnosticCode, Phase, SegmentAnalysis, SegmentAnalysisList, StateInference } from './model';
import { InferenceRows } from './inferenceRows';
import type { LineMove } from './lineMoves';
import { roleText } from './roleTexts';

const PHASES: readonly Phase[] = ['handshake', 'data', 'teardown', 'reset'];
const PHASE_MASK = 3;
const S2C = 1 << 2;
const WRITTEN = 1 << 3;
const HAS_REL_SEQ = 1 << 4;
const HAS_REL_ACK = 1 << 5;
const HAS_IN_FLIGHT = 1 << 6;
const HAS_SINCE_START = 1 << 7;

const NO_CODES: readonly DiagnosticCode[] = Object.freeze([]);
/** Every distinct list of codes any analysis recorded (a few dozen on real traces), by index. */
const codeLists: (readonly DiagnosticCode[])[] = [NO_CODES];
const codeListIndex = new Map<string, number>([['', 0]]);

function codeListOf(codes: readonly DiagnosticCode[]): number {
  if (codes.length === 0) return 0;
  const key = codes.length === 1 ? codes[0] : codes.join(' ');
  let k = codeListIndex.get(key);
  if (k === undefined) {
    k = codeLists.length;
    codeLists.push(Object.freeze(codes.slice()));
    codeListIndex.set(key, k);
  }
  return k;
}

/** One segment's results as the walk records them (numbers: null when unknown, -1 when none). */
export interface SegmentRecord {
  connection: number;
  c2s: boolean;
  /** The inferences, or their rows in the store's `rows` (the walk's: state.ts makes them there). */
  sender: StateInference | number;
  receiver: StateInference | number;
  phase: Phase;
  /** Its code (roleTexts.ts), or the text itself. */
  role: number | string;
  relSeq: number | null;
  relAck: number | null;
  codes: readonly DiagnosticCode[];
  bytesInFlight: number | null;
  sinceStart: number | null;
  acknowledges: number;
  original: number;
}

/**
 * The columns. A store covers either segments 0 … length-1 of a trace (dense) or
 * only the segments `slots` lists (the walk over some connections, incremental.ts):
 * then slot k holds segment slots[k].
 */
export class SegmentAnalyses implements SegmentAnalysisList {
  #length: number;
  readonly #slots: readonly number[] | null;
  #bits: Uint8Array;
  #connection: Int32Array;
  #relSeq: Uint32Array;
  #relAck: Uint32Array;
  #inFlight: Uint32Array;
  #sinceStart: Float64Array;
  #acknowledges: Int32Array;
  #original: Int32Array;
  #codes: Int32Array;
  /** Role codes; 0: the role's text is in #roleTexts (rare: roles.ts makes codes but for a few). */
  #role: Float64Array;
  /** The sender's and the receiver's inferences: rows of #inferences. */
  #sender: Int32Array;
  #receiver: Int32Array;
  readonly #inferences = new InferenceRows();
  /** Roles given as text, by slot. */
  #roleTexts = new Map<number, string>();

  /** A dense store of `length` segments, none recorded yet. */
  constructor(length: number, slots: readonly number[] | null = null) {
    this.#length = length;
    this.#slots = slots;
    // Room for some segments more: an edit that adds lines grows the store in place.
    const capacity = slots === null && length > 0 ? length + (length >> 6) + 16 : length;
    this.#bits = new Uint8Array(capacity);
    this.#connection = new Int32Array(capacity);
    this.#relSeq = new Uint32Array(capacity);
    this.#relAck = new Uint32Array(capacity);
    this.#inFlight = new Uint32Array(capacity);
    this.#sinceStart = new Float64Array(capacity);
    this.#acknowledges = new Int32Array(capacity);
    this.#original = new Int32Array(capacity);
    this.#codes = new Int32Array(capacity);
    this.#role = new Float64Array(capacity);
    this.#sender = new Int32Array(capacity);
    this.#receiver = new Int32Array(capacity);
  }

  /** A store for exactly the segments `indices` (ascending). */
  static forSegments(indices: readonly number[]): SegmentAnalyses {
    return new SegmentAnalyses(indices.length, indices);
  }

  /** A dense store of `length` segments holding `analyses`, each at its segment: for results built by hand. */
  static of(analyses: readonly SegmentAnalysis[], length = analyses.length): SegmentAnalyses {
    const store = new SegmentAnalyses(length);
    for (const a of analyses)
      store.record(a.segment, {
        connection: a.connection,
        c2s: a.direction === 'c2s',
        sender: a.sender,
        receiver: a.receiver,
        phase: a.phase,
        role: a.role,
        relSeq: a.relSeq,
        relAck: a.relAck,
        codes: a.analysis,
        bytesInFlight: a.bytesInFlight,
        sinceStart: a.sinceStart,
        acknowledges: a.acknowledges ?? -1,
        original: a.original ?? -1,
      });
    return store;
  }

  /** How many segments the store covers. */
  get length(): number {
    return this.#length;
  }

  /** The slot of segment `i`, -1 when the store does not cover it. */
  #slotOf(i: number): number {
    const slots = this.#slots;
    if (slots === null) return i >= 0 && i < this.#length ? i : -1;
    let lo = 0;
    let hi = slots.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = slots[mid];
      if (s === i) return mid;
      if (s < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Writes segment i's results (the walk, after every pass over it). */
  record(i: number, r: SegmentRecord): void {
    const k = this.#slotOf(i);
    if (k < 0) return;
    let bits = PHASES.indexOf(r.phase) | WRITTEN | (r.c2s ? 0 : S2C);
    this.#connection[k] = r.connection;
    this.#sender[k] = typeof r.sender === 'number' ? r.sender : this.#inferences.add(r.sender);
    this.#receiver[k] = typeof r.receiver === 'number' ? r.receiver : this.#inferences.add(r.receiver);
    this.#setRole(k, r.role);
    if (r.relSeq !== null) {
      bits |= HAS_REL_SEQ;
      this.#relSeq[k] = r.relSeq;
    }
    if (r.relAck !== null) {
      bits |= HAS_REL_ACK;
      this.#relAck[k] = r.relAck;
    }
    if (r.bytesInFlight !== null) {
      bits |= HAS_IN_FLIGHT;
      this.#inFlight[k] = r.bytesInFlight;
    }
    if (r.sinceStart !== null) {
      bits |= HAS_SINCE_START;
      this.#sinceStart[k] = r.sinceStart;
    }
    this.#codes[k] = codeListOf(r.codes);
    this.#acknowledges[k] = r.acknowledges;
    this.#original[k] = r.original;
    this.#bits[k] = bits;
  }

  get(i: number): SegmentAnalysis | undefined {
    const k = this.#slotOf(i);
    if (k < 0) return undefined;
    const bits = this.#bits[k];
    if ((bits & WRITTEN) === 0) return undefined;
    const acknowledges = this.#acknowledges[k];
    const original = this.#original[k];
    return {
      segment: i,
      connection: this.#connection[k],
      direction: (bits & S2C) === 0 ? 'c2s' : 's2c',
      sender: this.#inferences.view(this.#sender[k]),
      receiver: this.#inferences.view(this.#receiver[k]),
      phase: PHASES[bits & PHASE_MASK],
      role: this.#role[k] === 0 ? (this.#roleTexts.get(k) ?? '') : roleText(this.#role[k]),
      relSeq: (bits & HAS_REL_SEQ) === 0 ? null : this.#relSeq[k],
      relAck: (bits & HAS_REL_ACK) === 0 ? null : this.#relAck[k],
      analysis: codeLists[this.#codes[k]],
      bytesInFlight: (bits & HAS_IN_FLIGHT) === 0 ? null : this.#inFlight[k],
      sinceStart: (bits & HAS_SINCE_START) === 0 ? null : this.#sinceStart[k],
      acknowledges: acknowledges >= 0 ? acknowledges : undefined,
      original: original >= 0 ? original : undefined,
    };
  }

  connectionOf(i: number): number {
    const k = this.#slotOf(i);
    return k >= 0 && (this.#bits[k] & WRITTEN) !== 0 ? this.#connection[k] : -1;
  }

  /** The receiver's inference recorded for segment i, undefined when none was. */
  receiverOf(i: number): StateInference | undefined {
    const k = this.#slotOf(i);
    return k >= 0 && (this.#bits[k] & WRITTEN) !== 0 ? this.#inferences.view(this.#receiver[k]) : undefined;
  }

  /** The receiver's rule recorded for segment i, undefined when none was. */
  receiverRuleOf(i: number): string | undefined {
    const k = this.#slotOf(i);
    return k >= 0 && (this.#bits[k] & WRITTEN) !== 0 ? this.#inferences.ruleOf(this.#receiver[k]) : undefined;
  }

  /**
   * A later segment revised what segment i's receiver did (a SYN's, once answered): the
   * inference, or its row in `rows`.
   */
  setReceiver(i: number, inference: StateInference | number): void {
    const k = this.#slotOf(i);
    if (k >= 0)
      this.#receiver[k] = typeof inference === 'number' ? inference : this.#inferences.add(inference);
  }

  /** The table of the store's inferences: the walk appends the ones it makes there. */
  get rows(): InferenceRows {
    return this.#inferences;
  }

  /** Takes `code` off segment i's codes (a finding withdrawn by later evidence). */
  dropCode(i: number, code: DiagnosticCode): void {
    const k = this.#slotOf(i);
    if (k < 0 || this.#codes[k] === 0) return;
    this.#codes[k] = codeListOf(codeLists[this.#codes[k]].filter((c) => c !== code));
  }

  /** Takes the disabled codes off every segment (`# tcptrace-disable`). */
  dropCodes(disabled: ReadonlySet<string>): void {
    const n = this.#slots === null ? this.#length : this.#slots.length;
    for (let k = 0; k < n; k++) {
      const list = this.#codes[k];
      if (list !== 0) this.#codes[k] = codeListOf(codeLists[list].filter((c) => !disabled.has(c)));
    }
  }

  /** Segment i's results become those `from` holds for segment j (a dense store, from any store). */
  copy(i: number, from: SegmentAnalyses, j: number): void {
    const k = from.#slotOf(j);
    if (k < 0 || (from.#bits[k] & WRITTEN) === 0 || i < 0 || i >= this.#length) return;
    this.#bits[i] = from.#bits[k];
    this.#connection[i] = from.#connection[k];
    this.#relSeq[i] = from.#relSeq[k];
    this.#relAck[i] = from.#relAck[k];
    this.#inFlight[i] = from.#inFlight[k];
    this.#sinceStart[i] = from.#sinceStart[k];
    this.#acknowledges[i] = from.#acknowledges[k];
    this.#original[i] = from.#original[k];
    this.#codes[i] = from.#codes[k];
    this.#sender[i] = this.#inferences.import(from.#inferences, from.#sender[k]);
    this.#receiver[i] = this.#inferences.import(from.#inferences, from.#receiver[k]);
    this.#role[i] = from.#role[k];
    if (from.#role[k] === 0) this.#roleTexts.set(i, from.#roleTexts.get(k) ?? '');
    else if (this.#roleTexts.size > 0) this.#roleTexts.delete(i);
  }

  /** Writes slot k's role: its code, or 0 and the text aside. */
  #setRole(k: number, role: number | string): void {
    if (typeof role === 'number') {
      this.#role[k] = role;
      if (this.#roleTexts.size > 0) this.#roleTexts.delete(k);
    } else {
      this.#role[k] = 0;
      this.#roleTexts.set(k, role);
    }
  }

  /**
   * Replaces segments at … at+removed-1 of a dense store by `inserted` segments not
   * recorded yet (copy() fills them); the later ones move, in place when there is room.
   */
  replaceRange(at: number, removed: number, inserted: number): void {
    const length = this.#length;
    const next = length - removed + inserted;
    if (next > this.#bits.length) this.#grow(next + (next >> 4) + 16);
    const tail = at + removed;
    const to = at + inserted;
    for (const column of this.#typed()) column.copyWithin(to, tail, length);
    // Nothing recorded in the new segments, nor past the end when the store shrank.
    this.#bits.fill(0, at, to);
    this.#bits.fill(0, next, this.#bits.length);
    // The rows copy() makes from here on are new ones.
    this.#inferences.endImport();
    if (this.#roleTexts.size > 0) this.#roleTexts = movedTexts(this.#roleTexts, at, removed, inserted);
    this.#length = next;
  }

  /**
   * Segment i after lines or segments moved: its segment references through `index`,
   * the lines its inferences name by `lines` (each null when those did not move).
   */
  move(i: number, index: ((old: number) => number) | null, lines: LineMove | null): void {
    if (i < 0 || i >= this.#length || (this.#bits[i] & WRITTEN) === 0) return;
    if (index !== null) {
      if (this.#acknowledges[i] >= 0) this.#acknowledges[i] = index(this.#acknowledges[i]);
      if (this.#original[i] >= 0) this.#original[i] = index(this.#original[i]);
    }
    if (lines !== null) {
      this.#sender[i] = this.#inferences.move(this.#sender[i], lines);
      this.#receiver[i] = this.#inferences.move(this.#receiver[i], lines);
    }
  }

  *[Symbol.iterator](): Iterator<SegmentAnalysis> {
    const n = this.#slots === null ? this.#length : this.#slots.length;
    for (let k = 0; k < n; k++) {
      const a = this.get(this.#slots === null ? k : this.#slots[k]);
      if (a !== undefined) yield a;
    }
  }

  #typed(): (Uint8Array | Int32Array | Uint32Array | Float64Array)[] {
    return [
      this.#bits,
      this.#connection,
      this.#relSeq,
      this.#relAck,
      this.#inFlight,
      this.#sinceStart,
      this.#acknowledges,
      this.#original,
      this.#codes,
      this.#role,
      this.#sender,
      this.#receiver,
    ];
  }

  #grow(capacity: number): void {
    const n = this.#length;
    const grown = <T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(
      old: T,
      make: (size: number) => T,
    ): T => {
      const a = make(capacity);
      a.set(old.subarray(0, n));
      return a;
    };
    this.#bits = grown(this.#bits, (s) => new Uint8Array(s));
    this.#connection = grown(this.#connection, (s) => new Int32Array(s));
    this.#relSeq = grown(this.#relSeq, (s) => new Uint32Array(s));
    this.#relAck = grown(this.#relAck, (s) => new Uint32Array(s));
    this.#inFlight = grown(this.#inFlight, (s) => new Uint32Array(s));
    this.#sinceStart = grown(this.#sinceStart, (s) => new Float64Array(s));
    this.#acknowledges = grown(this.#acknowledges, (s) => new Int32Array(s));
    this.#original = grown(this.#original, (s) => new Int32Array(s));
    this.#codes = grown(this.#codes, (s) => new Int32Array(s));
    this.#role = grown(this.#role, (s) => new Float64Array(s));
    this.#sender = grown(this.#sender, (s) => new Int32Array(s));
    this.#receiver = grown(this.#receiver, (s) => new Int32Array(s));
  }
}

/** Role texts by slot after slots at … at+removed-1 were replaced by `inserted` new ones. */
function movedTexts(
  texts: ReadonlyMap<number, string>,
  at: number,
  removed: number,
  inserted: number,
): Map<number, string> {
  const moved = new Map<number, string>();
  for (const [k, text] of texts) {
    if (k < at) moved.set(k, text);
    else if (k >= at + removed) moved.set(k + inserted - removed, text);
  }
  return moved;
}
