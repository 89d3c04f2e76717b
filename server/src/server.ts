// The language server: thin LSP glue over the analysis core. Every handler
// gets the document's analysis from the cache (per version), bails out when the
// document is unknown or the request was cancelled, and calls a feature
// function. Capabilities are advertised only when the client supports them.
import {
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import * as v8 from 'node:v8';
import { isCapture, parseCaptureDirectSteps, renderCapture } from './analysis/pcap';
import { AnalysisCache } from './documents/analysisCache';
import { takeText } from './documents/bigMessages';
import { DocumentStore } from './documents/documentStore';
import { SettingsStore } from './documents/settingsStore';
import { createServerConnection } from './documents/stdioConnection';
import { registerAnalyzeFile } from './features/analyzeFile';
import { registerCaptureFeature, type CaptureDecoder } from './features/capture';
import { codeActionsFor } from './features/codeActions';
import { codeLensesFor } from './features/codeLens';
import { DiagnosticsPublisher } from './features/diagnostics';
import { registerDiagramFeature } from './features/diagram';
import { foldingRangesFor } from './features/folding';
import { hoverAt } from './features/hover';
import { inlayHintsFor } from './features/inlayHints';
import { definitionAt, highlightsAt, referencesAt } from './features/navigation';
import { analysisFor, throwIfCancelled, throwIfStopped, whileCurrent } from './features/request';
import { LEGEND, semanticTokensFor } from './features/semanticTokens';
import { documentSymbolsFor, workspaceSymbolsFor } from './features/symbols';
import { hostInterfaceName } from './hostInterfaces';
import { ServerInfoRequest } from './protocol';

const SERVER_VERSION = '0.1.0';

// A document's analysis is long-lived, so V8 would soon double its young generation
// up to 16 MB a semi-space (three times that in committed pages) and keep it: on the
// 50 MB bench trace that is ~30 MB of the server's peak (346-352 -> 313-317 MB, three
// idle pairs) for no gain in open or request times. A growth factor of 1 keeps the
// first size (see cli.ts, where the CLI does the same for captures).
v8.setFlagsFromString('--semi-space-growth-factor=1');

const connection = createServerConnection();
const documents = new DocumentStore();
const settings = new SettingsStore(connection);
const cache = new AnalysisCache(documents, (uri) => settings.get(uri));
let client: ClientCapabilities = {};
const publisher = new DiagnosticsPublisher(connection, documents, cache, () => ({
  relatedInformation: client.textDocument?.publishDiagnostics?.relatedInformation === true,
}));

connection.onInitialize((params): InitializeResult => {
  client = params.capabilities;
  settings.canPull = client.workspace?.configuration === true;
  return {
    capabilities: capabilities(client),
    serverInfo: { name: 'tcptrace-inspector', version: SERVER_VERSION },
  };
});

connection.onInitialized(() => {
  if (client.workspace?.didChangeConfiguration?.dynamicRegistration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'tcptrace' });
  }
});

function capabilities(c: ClientCapabilities): ServerCapabilities {
  const td = c.textDocument ?? {};
  const caps: ServerCapabilities = {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
  };
  if (td.hover) caps.hoverProvider = true;
  if (td.inlayHint) caps.inlayHintProvider = true;
  if (td.codeLens) caps.codeLensProvider = { resolveProvider: false };
  if (td.documentSymbol) caps.documentSymbolProvider = { label: 'TCP connections' };
  if (c.workspace?.symbol) caps.workspaceSymbolProvider = true;
  if (td.definition) caps.definitionProvider = true;
  if (td.references) caps.referencesProvider = true;
  if (td.documentHighlight) caps.documentHighlightProvider = true;
  if (td.codeAction) {
    caps.codeActionProvider = td.codeAction.codeActionLiteralSupport
      ? { codeActionKinds: ['quickfix', ''] }
      : true;
  }
  if (td.foldingRange) caps.foldingRangeProvider = true;
  if (td.semanticTokens) {
    caps.semanticTokensProvider = {
      legend: LEGEND,
      full: true,
      range: td.semanticTokens.requests?.range !== undefined,
    };
  }
  return caps;
}

// --- documents ------------------------------------------------------------------

// Over stdio a big text arrives already split into lines (documents/bigMessages.ts).
connection.onDidOpenTextDocument(({ textDocument: d }) =>
  documents.open(d.uri, d.languageId, d.version, takeText(d.text)),
);
connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
  const edits = contentChanges.map((c) => ({ ...c, text: takeText(c.text) }));
  documents.change(textDocument.uri, textDocument.version, edits);
});
connection.onDidCloseTextDocument(({ textDocument }) => {
  documents.close(textDocument.uri);
  settings.forget(textDocument.uri);
});

connection.onDidChangeConfiguration(({ settings: pushed }) => {
  settings.changed(pushed);
  cache.clear();
  publisher.scheduleAll();
  const ws = client.workspace ?? {};
  if (ws.inlayHint?.refreshSupport) void connection.languages.inlayHint.refresh();
  if (ws.codeLens?.refreshSupport) void connection.sendRequest('workspace/codeLens/refresh');
  if (ws.semanticTokens?.refreshSupport) connection.languages.semanticTokens.refresh();
});

// --- features ---------------------------------------------------------------------

connection.onHover(async ({ textDocument, position }, token) => {
  const a = await analysisFor(cache, textDocument.uri, token);
  return a ? hoverAt(a, position) : null;
});

connection.languages.inlayHint.on(async ({ textDocument, range }, token) => {
  const a = await analysisFor(cache, textDocument.uri, token);
  return a ? inlayHintsFor(a, range.start.line, range.end.line) : null;
});

connection.onCodeLens(async ({ textDocument }, token) => {
  const a = await analysisFor(cache, textDocument.uri, token);
  return a ? codeLensesFor(a) : null;
});

connection.onDocumentSymbol(async ({ textDocument }, token) => {
  const a = await analysisFor(cache, textDocument.uri, token);
  if (!a) return null;
  const symbols = await documentSymbolsFor(a, whileCurrent(cache, a, token));
  throwIfStopped(cache, a, token);
  return symbols ?? null;
});

connection.onWorkspaceSymbol(async ({ query }, token) => {
  // Every open document's current analysis, all at once: while waiting for one, an edit of
  // another may have been analysed into the arrays of the version taken (analysis/incremental.ts),
  // so go again until none was replaced (the unchanged ones answer at once).
  for (;;) {
    const analyses = [];
    for (const doc of documents.all()) {
      const a = await cache.get(doc.uri);
      throwIfCancelled(token);
      if (a) analyses.push(a);
    }
    if (analyses.every((a) => cache.versionOf(a.uri) === a.version))
      return workspaceSymbolsFor(analyses, query);
  }
});

connection.onDefinition(async ({ textDocument, position }, token) => {
  const a = await analysisFor(cache, textDocument.uri, token);
  return a ? definitionAt(a, position) : null;
});

connection.onReferences(async ({ textDocument, position }, token) => {
  const a = await analysisFor(cache, textDocument.uri, token);
  return a ? referencesAt(a, position) : null;
});

connection.onDocumentHighlight(async ({ textDocument, position }, token) => {
  const a = await analysisFor(cache, textDocument.uri, token);
  return a ? highlightsAt(a, position) : null;
});

connection.onCodeAction(async ({ textDocument, range, context }, token) => {
  const a = await analysisFor(cache, textDocument.uri, token);
  return a ? codeActionsFor(a, range, context.diagnostics) : null;
});

connection.onFoldingRanges(async ({ textDocument }, token) => {
  const a = await analysisFor(cache, textDocument.uri, token);
  return a ? foldingRangesFor(a) : null;
});

connection.languages.semanticTokens.on(async ({ textDocument }, token) => {
  const a = await analysisFor(cache, textDocument.uri, token);
  const tokens = a
    ? await semanticTokensFor(a, 0, a.lineCount - 1, whileCurrent(cache, a, token))
    : undefined;
  if (a) throwIfStopped(cache, a, token);
  return tokens ?? { data: [] };
});

connection.languages.semanticTokens.onRange(async ({ textDocument, range }, token) => {
  const a = await analysisFor(cache, textDocument.uri, token);
  const tokens = a
    ? await semanticTokensFor(a, range.start.line, range.end.line, whileCurrent(cache, a, token))
    : undefined;
  if (a) throwIfStopped(cache, a, token);
  return tokens ?? { data: [] };
});

connection.onRequest(ServerInfoRequest.method, () => ({ version: SERVER_VERSION }));

// Linux cooked v2 (`-i any`) captures name interfaces as tcpdump does: by this host's names.
const captures: CaptureDecoder = {
  isCapture,
  renderCapture: (bytes, options) => renderCapture(bytes, { ...options, interfaceName: hostInterfaceName }),
  parseCaptureSteps: (bytes, options) =>
    parseCaptureDirectSteps(bytes, { ...options, interfaceName: hostInterfaceName }),
};
registerAnalyzeFile(connection, {
  documents,
  publish: (uri) => publisher.publish(uri),
  decoder: captures,
  settingsFor: (uri) => settings.get(uri),
  relatedInformation: () => client.textDocument?.publishDiagnostics?.relatedInformation === true,
});
registerCaptureFeature(connection, captures);
registerDiagramFeature(connection, cache);
connection.listen();
