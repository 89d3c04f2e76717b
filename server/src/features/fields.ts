// FieldSpans (which characters are the flags, the ack, ...) of one segment.
// The incremental parse keeps records without spans to save memory on big
// traces, so the features that need them re-read the segment's lines here:
// a few lines per request, cached per analysis.
import type { FieldSpan, Segment } from '../analysis';
import { nextContext, readLine } from '../analysis/parse';
import type { DocumentAnalysis } from '../documents/analysisCache';

const cache = new WeakMap<DocumentAnalysis, Map<number, readonly FieldSpan[]>>();
/** Beyond this many cached segments per analysis, start over (a full-document token request). */
const CACHE_LIMIT = 20_000;

export function fieldsOf(a: DocumentAnalysis, segment: Segment): readonly FieldSpan[] {
  if (segment.fields.length > 0) return segment.fields;
  let perAnalysis = cache.get(a);
  if (!perAnalysis || perAnalysis.size > CACHE_LIMIT) {
    perAnalysis = new Map();
    cache.set(a, perAnalysis);
  }
  const known = perAnalysis.get(segment.index);
  if (known) return known;
  const fields: FieldSpan[] = [];
  let ctx = a.contextBefore(segment.line);
  for (let line = segment.line; line <= Math.max(segment.line, segment.endLine); line++) {
    const text = a.lineText(line);
    const record = readLine(text, line, ctx, 0, text.length, true);
    if (record.kind === 'packet' || record.kind === 'ip-header') fields.push(...record.fields);
    ctx = nextContext(ctx, record);
  }
  perAnalysis.set(segment.index, fields);
  return fields;
}
