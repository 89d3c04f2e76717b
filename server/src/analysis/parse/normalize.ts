// Phase (b): records of all lines → Segment[] plus parse diagnostics, in one
// O(n) pass (and a short pre-pass over tcpdump records to tell -S from relative
// numbering and -ttt from -ttttt).
import type { DiagnosticCode, FieldSpan, Finding, InputFormat, Segment, TcpOptions } from '../model';
import { isDiagnosticCode } from './codes';
import { drillAbsolute, PairTable, tcpdumpAbsolute, tcpdumpPrintsRelative, type Absolute } from './numbering';
import { Numbering, TimeKind, type IpHeaderRecord, type LineRecord, type PacketRecord } from './records';

export interface Normalized {
  readonly format: InputFormat;
  readonly segments: Segment[];
  readonly diagnostics: Finding[];
  readonly disabledCodes: DiagnosticCode[];
}

/** -ttt prints the delta to the previous packet, -ttttt the delta to the first: same text. */
function deltasAreSinceFirst(records: readonly (LineRecord | undefined)[]): boolean {
  let prev = -Infinity;
  let count = 0;
  for (const r of records) {
    if (r === undefined || (r.kind !== 'packet' && r.kind !== 'ip-header') || r.timeKind !== TimeKind.Delta)
      continue;
    if (r.timeValue < prev) return false;
    prev = r.timeValue;
    count++;
  }
  return count >= 3;
}

function tcpdumpRecords(records: readonly (LineRecord | undefined)[]): PacketRecord[] {
  const out: PacketRecord[] = [];
  for (const r of records) {
    if (r !== undefined && r.kind === 'packet' && r.numbering === Numbering.Tcpdump) {
      out.push(r);
      if (out.length >= 20000) break;
    }
  }
  return out;
}

/**
 * Turns the per-line records (index = line number) into segments. Cheap:
 * one pass, one Segment per packet, arrays and options shared when unchanged.
 */
export function normalize(records: readonly (LineRecord | undefined)[]): Normalized {
  const segments: Segment[] = [];
  const diagnostics: Finding[] = [];
  const disabled: DiagnosticCode[] = [];
  const relative = tcpdumpPrintsRelative(tcpdumpRecords(records));
  const sinceFirst = deltasAreSinceFirst(records);
  const tcpdumpTable = new PairTable();
  const drillTable = new PairTable();
  const abs: Absolute = { seq: null, ack: null, sack: undefined };
  const formatCount = { tcpdump: 0, tshark: 0, packetdrill: 0 };

  // Time state.
  let dayOffset = 0;
  let lastTod = -1;
  let deltaSum = 0;
  let drillClock = 0;

  let header: IpHeaderRecord | null = null;
  let pending: PacketRecord | null = null;
  let pendingLine = 0;
  let pendingEnd = 0;
  let pendingTime: number | null = null;
  let pendingIp: PacketRecord['ip'];
  let pendingFields: readonly FieldSpan[] = [];

  const timeOf = (kind: TimeKind, value: number): number | null => {
    switch (kind) {
      case TimeKind.TimeOfDay: {
        if (lastTod >= 0 && value < lastTod - 43200) dayOffset += 86400;
        lastTod = value;
        return value + dayOffset;
      }
      case TimeKind.Absolute:
      case TimeKind.SinceFirst:
        return value;
      case TimeKind.Delta:
        if (sinceFirst) return value;
        deltaSum += value;
        return deltaSum;
      case TimeKind.DrillRelative:
        drillClock += value;
        return drillClock;
      case TimeKind.DrillAbsolute:
        drillClock = value;
        return drillClock;
      case TimeKind.DrillAny:
        return drillClock;
      default:
        return null;
    }
  };

  const flush = (): void => {
    if (pending === null) return;
    const r = pending;
    pending = null;
    if (r.numbering === Numbering.Tcpdump && relative) tcpdumpAbsolute(r, tcpdumpTable, abs);
    else if (r.numbering === Numbering.Packetdrill) drillAbsolute(r, drillTable, abs);
    else {
      abs.seq = r.printedSeq;
      abs.ack = (r.flags & 0x10) !== 0 ? r.printedAck : null;
      abs.sack = r.options.sack;
    }
    let options: TcpOptions = r.options;
    if (abs.sack !== r.options.sack) options = { ...r.options, sack: abs.sack };
    const s: { -readonly [K in keyof Segment]: Segment[K] } = {
      index: segments.length,
      line: pendingLine,
      endLine: pendingEnd,
      format: r.format,
      time: pendingTime,
      src: r.src,
      dst: r.dst,
      flags: r.flags,
      seq: r.flagsKnown ? abs.seq : null,
      ack: r.flagsKnown ? abs.ack : null,
      printedSeq: r.printedSeq,
      printedAck: r.printedAck,
      len: r.len,
      win: r.win,
      urg: r.urg,
      options,
      truncated: r.truncated,
      badChecksum: r.badChecksum,
      fields: pendingFields,
    };
    if (pendingIp !== undefined) s.ip = pendingIp;
    if (r.toolLabels !== undefined) s.toolLabels = r.toolLabels;
    if (r.appText !== undefined) s.appText = r.appText;
    segments.push(s);
    formatCount[r.format as 'tcpdump' | 'tshark' | 'packetdrill']++;
  };

  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (r === undefined) continue;
    switch (r.kind) {
      case 'packet': {
        flush();
        pending = r;
        pendingEnd = r.endLine;
        pendingIp = r.ip;
        if (header !== null && r.timeKind === TimeKind.None && r.line === header.line + 1) {
          // Second line of the IPv4 -v form: the packet starts on the header line.
          pendingLine = header.line;
          pendingTime = timeOf(header.timeKind, header.timeValue);
          pendingIp = header.ip;
          pendingFields = header.fields.length === 0 ? r.fields : header.fields.concat(r.fields);
        } else {
          pendingLine = r.line;
          pendingTime = timeOf(r.timeKind, r.timeValue);
          pendingFields = r.fields;
        }
        header = null;
        break;
      }
      case 'ip-header':
        flush();
        header = r;
        break;
      case 'continuation':
        if (pending !== null) pendingEnd = i;
        break;
      case 'skip':
        if (r.endsPacket) flush();
        header = null;
        break;
      case 'drill-time':
        timeOf(r.timeKind, r.timeValue);
        break;
      case 'directive':
        for (const c of r.codes) {
          if (isDiagnosticCode(c.code)) {
            if (!disabled.includes(c.code)) disabled.push(c.code);
          } else {
            diagnostics.push({
              code: 'parse-error',
              severity: 'warning',
              message: `tcptrace-disable: unknown diagnostic code '${c.code}'`,
              line: r.line,
              endLine: r.line,
              startChar: c.start,
              endChar: c.end,
              related: [],
            });
          }
        }
        break;
      case 'error':
        flush();
        header = null;
        diagnostics.push({
          code: 'parse-error',
          severity: 'error',
          message: r.message,
          line: r.line,
          endLine: r.line,
          startChar: r.start,
          endChar: r.end,
          related: [],
        });
        break;
    }
  }
  flush();
  let format: InputFormat = 'unknown';
  let best = 0;
  for (const f of ['tcpdump', 'tshark', 'packetdrill'] as const) {
    if (formatCount[f] > best) {
      best = formatCount[f];
      format = f;
    }
  }
  return { format, segments, diagnostics, disabledCodes: disabled };
}
