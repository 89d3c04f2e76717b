// The do-nothing baseline: keeps documents with vscode-languageserver's
// TextDocuments (incremental sync) and publishes empty diagnostics.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const {
  createConnection,
  TextDocuments,
  TextDocumentSyncKind,
  ProposedFeatures,
} = require('vscode-languageserver/node');
const { TextDocument } = require('vscode-languageserver-textdocument');

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
connection.onInitialize(() => ({
  capabilities: {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    hoverProvider: true,
    inlayHintProvider: true,
  },
}));
documents.onDidChangeContent((e) => {
  void connection.sendDiagnostics({ uri: e.document.uri, version: e.document.version, diagnostics: [] });
});
connection.onHover(() => null);
// The same trivial request as ours, so that bench:lsp can time round trips while the document is opened.
connection.onRequest('tcptrace/serverInfo', () => ({ version: 'baseline' }));
connection.languages.inlayHint.on(() => []);
documents.listen(connection);
connection.listen();
