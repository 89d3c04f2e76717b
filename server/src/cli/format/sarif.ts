// SARIF 2.1.0 for code-scanning tools (GitHub code scanning, VS Code SARIF
// viewer): one rule per diagnostic code, one result per finding.
import * as path from 'node:path';
import type { Finding, Severity } from '../../analysis/model';
import type { Report } from '../report';
import { helpUri, RULES } from '../rules';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/** A relative URI with forward slashes when the file is below the working directory. */
export function artifactUri(p: string | null, cwd: string): string {
  if (p === null) return 'stdin';
  const abs = path.resolve(cwd, p);
  const rel = path.relative(cwd, abs);
  const asUri = (s: string): string => s.split(path.sep).map(encodeURIComponent).join('/');
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return asUri(rel);
  return `file://${asUri(abs).replace(/^(?!\/)/, '/')}`;
}

export interface SarifOptions {
  readonly version: string;
  readonly cwd: string;
}

export function formatSarif(report: Report, options: SarifOptions): string {
  const codes = Object.keys(RULES) as (keyof typeof RULES)[];
  // Codes the analysis grew after this table: still reported, with a plain rule.
  for (const d of report.result.diagnostics) if (!(d.code in RULES)) codes.push(d.code);
  const index = new Map<string, number>(codes.map((c, i) => [c, i]));
  const uri = artifactUri(report.path, options.cwd);
  const location = (line: number, endLine: number, message?: string, id?: number) => ({
    ...(id !== undefined ? { id } : {}),
    physicalLocation: {
      artifactLocation: { uri, index: 0 },
      region: { startLine: line + 1, endLine: Math.max(line, endLine) + 1 },
    },
    ...(message !== undefined ? { message: { text: message } } : {}),
  });
  const result = (d: Finding) => ({
    ruleId: d.code,
    ruleIndex: index.get(d.code),
    level: LEVEL[d.severity],
    message: { text: d.message },
    locations: [location(d.line, d.endLine)],
    ...(d.related.length
      ? { relatedLocations: d.related.map((r, i) => location(r.line, r.line, r.message, i + 1)) }
      : {}),
    ...(d.details ? { properties: { details: d.details } } : {}),
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tcptrace-inspect',
            version: options.version,
            informationUri: 'https://github.com/tcptrace-inspector/tcptrace-inspector',
            rules: codes.map((code) => {
              const info = RULES[code] as (typeof RULES)[keyof typeof RULES] | undefined;
              return {
                id: code,
                name: code,
                shortDescription: { text: info?.summary ?? code },
                helpUri: helpUri(code),
                defaultConfiguration: { level: LEVEL[info?.severity ?? 'warning'] },
              };
            }),
          },
        },
        artifacts: [{ location: { uri } }],
        results: report.result.diagnostics.map(result),
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
