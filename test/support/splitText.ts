// A document text as the server gets it from a big didOpen message: split into
// lines that lie in the message bytes (documents/bigMessages.ts).
import assert from 'node:assert/strict';
import { parseMessage, takeText } from '../../server/src/documents/bigMessages';
import type { SplitText } from '../../server/src/documents/lineStore';

export function splitText(text: string): SplitText {
  const json = JSON.stringify({
    jsonrpc: '2.0',
    method: 'textDocument/didOpen',
    params: { textDocument: { uri: 'file:///a', languageId: 'tcptrace', version: 1, text } },
  });
  const message = parseMessage(Buffer.from(json), 1) as { params: { textDocument: { text: string } } };
  const split = takeText(message.params.textDocument.text);
  assert.notEqual(typeof split, 'string');
  return split as SplitText;
}
