// Hover: on a segment line, what the segment does and the states it implies;
// on a flag letter, an address or a port, what it is; on a finding, the rule
// and the numbers behind it.
import type { Hover, Position } from 'vscode-languageserver/node';
import type {
  Connection,
  FieldSpan,
  Finding,
  Segment,
  SegmentAnalysis,
  StateInference,
  TcpOptions,
} from '../analysis';
import { SYN } from '../analysis';
import {
  DIAGNOSTICS_DOC_URL,
  fieldRange,
  findingRange,
  markdownHover,
  rangeContains,
  segmentRange,
} from '../convert';
import { fieldsOf } from './fields';
import type { DocumentAnalysis } from '../documents/analysisCache';
import { segmentAnalysisAt } from '../documents/analysisIndex';
import { FIELD_DESCRIPTIONS, FLAG_LETTERS, FLAG_NAMES, STATE_EXPLANATIONS, flagsText } from './explain';
import { connectionName } from './inlayHints';

export function hoverAt(a: DocumentAnalysis, pos: Position): Hover | null {
  if (pos.line < 0 || pos.line >= a.index.lineCount) return null;
  const findings = findingsAt(a, pos);
  const index = a.index.segmentAt(pos.line);
  const segment = index >= 0 ? a.result.segments[index] : undefined;
  if (!segment) {
    if (findings.length === 0) return null;
    return markdownHover(
      findings.map(findingMarkdown).join('\n\n---\n\n'),
      findingRange(findings[0]!, a.lineText),
    );
  }
  const field = fieldsOf(a, segment).find(
    (f) => f.line === pos.line && f.start <= pos.character && pos.character < f.end,
  );
  const fieldText = field ? fieldHover(a, segment, field, pos) : undefined;
  if (fieldText) return markdownHover(fieldText, fieldRange(field!));
  const parts = [segmentMarkdown(a, segment, segmentAnalysisAt(a.result, index))];
  for (const f of findings) parts.push(findingMarkdown(f));
  return markdownHover(parts.join('\n\n---\n\n'), segmentRange(segment, a.lineText));
}

function findingsAt(a: DocumentAnalysis, pos: Position): Finding[] {
  const result: Finding[] = [];
  // Findings start on their own line or on an earlier line of a multi-line packet.
  for (let line = pos.line; line >= 0 && line >= pos.line - 50; line--) {
    for (const f of a.index.findingsOn(line)) {
      if (rangeContains(findingRange(f, a.lineText), pos)) result.push(f);
    }
    const seg = a.index.segmentAt(line);
    if (seg < 0 || a.result.segments[seg]?.line === line) break;
  }
  return result;
}

function findingMarkdown(f: Finding): string {
  const lines = [`**${f.code}** (${f.severity}) — ${f.message}`];
  const details = Object.entries(f.details ?? {});
  if (details.length > 0) {
    lines.push('', '| | |', '|---|---|', ...details.map(([k, v]) => `| ${k} | \`${String(v)}\` |`));
  }
  for (const r of f.related) lines.push('', `- line ${r.line + 1}: ${r.message}`);
  lines.push('', `[About ${f.code}](${DIAGNOSTICS_DOC_URL}#${f.code})`);
  return lines.join('\n');
}

function segmentMarkdown(a: DocumentAnalysis, s: Segment, sa: SegmentAnalysis | undefined): string {
  const out: string[] = [];
  if (!sa) {
    out.push(`**TCP segment** ${endpoint(s.src.host, s.src.port)} → ${endpoint(s.dst.host, s.dst.port)}`);
    out.push('', `flags ${flagsText(s.flags)} · seq ${num(s.seq)} · ack ${num(s.ack)} · len ${s.len}`);
    return out.join('\n');
  }
  const conn = a.index.connection(sa.connection);
  out.push(`**${capitalise(sa.role)}**`);
  const direction = sa.direction === 'c2s' ? 'client → server' : 'server → client';
  out.push(
    '',
    `Connection ${connectionName(sa.connection)}${conn ? ` \`${conn.label}\`` : ''} · ${direction} · ${sa.phase}`,
  );
  out.push('', stateMarkdown('Sender', s.src.host, s.src.port, sa.sender));
  out.push('', stateMarkdown('Receiver', s.dst.host, s.dst.port, sa.receiver));
  const numbers: string[] = [];
  numbers.push(`| seq | ${rel(sa.relSeq)} | ${num(s.seq ?? absoluteSeq(conn, sa))} |`);
  if (s.ack !== null) numbers.push(`| ack | ${rel(sa.relAck)} | ${num(s.ack)} |`);
  out.push('', '| | relative | absolute |', '|---|---|---|', ...numbers);
  const facts: string[] = [`payload ${s.len} bytes`];
  const win = effectiveWindow(a, conn, s);
  if (win) facts.push(win);
  if (sa.bytesInFlight !== null) facts.push(`bytes in flight ${sa.bytesInFlight}`);
  if (sa.sinceStart !== null)
    facts.push(`${formatSeconds(sa.sinceStart)} since the connection's first segment`);
  out.push('', facts.join(' · '));
  const options = optionsMarkdown(s.options, sa.relAck !== null && s.ack !== null ? s.ack - sa.relAck : null);
  if (options) out.push('', options);
  if (sa.analysis.length > 0) out.push('', `Analysis: ${sa.analysis.map((c) => `\`${c}\``).join(', ')}`);
  return out.join('\n');
}

function stateMarkdown(who: string, host: string, port: number, inf: StateInference): string {
  const at = endpoint(host, port);
  if (inf.state === null) return `${who} \`${at}\`: state unknown — ${inf.reason}`;
  const e = STATE_EXPLANATIONS[inf.state];
  return [
    `${who} \`${at}\`: **${e.rfcName}** (${inf.confidence}; RFC 9293 ${e.section}) — ${e.meaning}.`,
    `Waiting for ${e.waitingFor}; ${e.movesOn}.`,
    `*Why:* ${inf.reason}`,
  ].join('  \n');
}

function fieldHover(a: DocumentAnalysis, s: Segment, field: FieldSpan, pos: Position): string | undefined {
  const text = a.lineText(field.line).slice(field.start, field.end);
  switch (field.kind) {
    case 'flags': {
      const offset = pos.character - field.start;
      const name = /[A-Z]+/.exec(text.slice(wordStart(text, offset)))?.[0];
      const letter = text[offset] ?? '';
      const info = FLAG_LETTERS[letter] ?? (name ? FLAG_NAMES[name] : undefined);
      const all = `Flags of this segment: **${flagsText(s.flags)}**`;
      return info ? `**${info.name}** \`${letter}\` — ${info.meaning}\n\n${all}` : all;
    }
    case 'src-host':
    case 'dst-host':
    case 'src-port':
    case 'dst-port': {
      const ep = field.kind.startsWith('src') ? s.src : s.dst;
      const role = roleOf(a, s, field.kind.startsWith('src'));
      const service = ep.service ? ` (service \`${ep.service}\`)` : '';
      const what = field.kind.endsWith('host') ? `address \`${ep.host}\`` : `port ${ep.port}${service}`;
      return `${FIELD_DESCRIPTIONS[field.kind]}: ${what}${role ? ` — the ${role} of the connection` : ''}`;
    }
    case 'options':
      return optionsMarkdown(s.options, null) ?? FIELD_DESCRIPTIONS.options;
    default:
      return undefined;
  }
}

function roleOf(a: DocumentAnalysis, s: Segment, source: boolean): string | undefined {
  const sa = segmentAnalysisAt(a.result, s.index);
  if (!sa) return undefined;
  const senderIsClient = sa.direction === 'c2s';
  return source === senderIsClient ? 'client' : 'server';
}

function wordStart(text: string, offset: number): number {
  let i = Math.min(offset, text.length);
  while (i > 0 && /[A-Z]/.test(text[i - 1]!)) i--;
  return i;
}

/** Window × 2^wscale of the sender's SYN (the SYN's own window is never scaled). */
function effectiveWindow(a: DocumentAnalysis, conn: Connection | undefined, s: Segment): string | undefined {
  if (s.win === null) return undefined;
  if ((s.flags & SYN) !== 0 || !conn) return `window ${s.win}`;
  let wscale: number | undefined;
  let peerScales = false;
  for (const i of conn.segments.slice(0, 16)) {
    const o = a.result.segments[i];
    if (!o || (o.flags & SYN) === 0) continue;
    const fromSender = o.src.host === s.src.host && o.src.port === s.src.port;
    if (fromSender) wscale = o.options.wscale;
    else if (o.options.wscale !== undefined) peerScales = true;
  }
  if (wscale === undefined || !peerScales) return `window ${s.win}`;
  return `window ${s.win} × 2^${wscale} = ${s.win * 2 ** wscale} bytes`;
}

function optionsMarkdown(o: TcpOptions, base: number | null): string | undefined {
  const parts: string[] = [];
  if (o.mss !== undefined) parts.push(`MSS ${o.mss} bytes`);
  if (o.wscale !== undefined) parts.push(`window scale ${o.wscale} (windows × ${2 ** o.wscale})`);
  if (o.sackPermitted) parts.push('SACK permitted');
  if (o.sack && o.sack.length > 0) {
    const blocks = o.sack.map((b) =>
      base !== null ? `${(b.left - base) >>> 0}–${(b.right - base) >>> 0}` : `${b.left}–${b.right}`,
    );
    parts.push(`SACK ${blocks.join(', ')} (received beyond the ack${base !== null ? ', relative' : ''})`);
  }
  if (o.tsVal !== undefined) parts.push(`timestamps val ${o.tsVal} ecr ${o.tsEcr ?? 0}`);
  if (o.tfo)
    parts.push(o.tfo.cookie ? `TCP Fast Open cookie ${o.tfo.cookie}` : 'TCP Fast Open cookie request');
  if (o.mptcp) parts.push(`MPTCP ${o.mptcp}`);
  for (const other of o.other ?? []) parts.push(other);
  if (o.bad) parts.push('malformed options');
  return parts.length > 0 ? `Options: ${parts.join(' · ')}` : undefined;
}

/** A line without a printed seq (tcpdump's pure ACKs): the sender's base + the relative number. */
function absoluteSeq(conn: Connection | undefined, sa: SegmentAnalysis): number | null {
  const base = sa.direction === 'c2s' ? conn?.clientSeqBase : conn?.serverSeqBase;
  return base !== undefined && base !== null && sa.relSeq !== null ? (base + sa.relSeq) >>> 0 : null;
}

function endpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function num(n: number | null): string {
  return n === null ? '—' : String(n);
}

function rel(n: number | null): string {
  return n === null ? '—' : String(n);
}

function formatSeconds(s: number): string {
  if (s < 1) return `${(s * 1000).toFixed(3).replace(/\.?0+$/, '')} ms`;
  return `${s.toFixed(6).replace(/\.?0+$/, '')} s`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
