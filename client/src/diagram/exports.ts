// Export commands: SVG of the current view (or of one connection) and
// Mermaid text of the editor's selection, opened as new untitled documents.
import * as vscode from 'vscode';
import type { DiagramModel, DiagramView } from '../../../server/src/analysis/diagram/model';
import { DEFAULT_VIEW } from '../../../server/src/analysis/diagram/model';
import { viewArrows } from '../../../server/src/analysis/diagram/layout';
import { toMermaid } from '../../../server/src/analysis/diagram/mermaid';
import { toSvg } from '../../../server/src/analysis/diagram/svg';

/** The SVG text of `view`, or of the connection with analysis id `connectionId` (all its bands collapsed). */
export function svgOf(model: DiagramModel, view: DiagramView | null, connectionId?: number): string {
  let v = view ?? DEFAULT_VIEW;
  if (connectionId !== undefined) {
    const index = model.connections.findIndex((c) => c.id === connectionId);
    if (index < 0) throw new Error(`no connection with id ${connectionId} in this trace`);
    v = { ...v, connection: index, expanded: [] };
  }
  return toSvg(model, v);
}

/**
 * Mermaid parts for the arrows whose packets intersect the given inclusive line
 * ranges (the editor's non-empty selections); without any, the current view's arrows.
 */
export function mermaidOf(
  model: DiagramModel,
  view: DiagramView | null,
  selections: readonly { start: number; end: number }[],
): string[] {
  const ranges = selections;
  const chosen =
    ranges.length > 0
      ? model.arrows.flatMap((a, i) =>
          ranges.some((r) => a.endLine >= r.start && a.line <= r.end) ? [i] : [],
        )
      : [...viewArrows(model, view ?? DEFAULT_VIEW)];
  return toMermaid(model, chosen, { absoluteSeq: view?.absoluteSeq ?? false });
}

/** One Markdown document with each part in its own ```mermaid block. */
export function mermaidMarkdown(parts: readonly string[], title: string): string {
  const blocks = parts.map((p, i) =>
    parts.length > 1
      ? `## Part ${i + 1} of ${parts.length}\n\n\`\`\`mermaid\n${p}\`\`\`\n`
      : `\`\`\`mermaid\n${p}\`\`\`\n`,
  );
  return `# ${title}\n\n${blocks.join('\n')}`;
}

export async function openUntitled(language: string, content: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language, content });
  await vscode.window.showTextDocument(document, { preview: false });
}
