// The language server: thin LSP glue over the analysis core.
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  DiagnosticSeverity,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeTrace } from './analysis';
import { registerCaptureFeature } from './features/capture';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
  serverInfo: { name: 'tcptrace-inspector' },
}));

documents.onDidChangeContent((e) => {
  const result = analyzeTrace(e.document.getText());
  const diagnostics: Diagnostic[] = result.diagnostics.map((f) => ({
    range: { start: { line: f.line, character: 0 }, end: { line: f.endLine, character: 1 << 20 } },
    message: f.message,
    code: f.code,
    source: 'tcptrace',
    severity:
      f.severity === 'error'
        ? DiagnosticSeverity.Error
        : f.severity === 'warning'
          ? DiagnosticSeverity.Warning
          : f.severity === 'information'
            ? DiagnosticSeverity.Information
            : DiagnosticSeverity.Hint,
  }));
  void connection.sendDiagnostics({ uri: e.document.uri, version: e.document.version, diagnostics });
});

registerCaptureFeature(connection);
documents.listen(connection);
connection.listen();
