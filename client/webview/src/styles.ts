// The panel's stylesheet. Colours come only from VS Code's `--vscode-*`
// theme variables, so light, dark and high-contrast themes all work. Injected
// as a <style> element carrying the page's nonce (the CSP allows nothing else).
export const STYLES = `
html, body { margin: 0; padding: 0; height: 100%; overflow: hidden; }
body {
  color: var(--vscode-foreground);
  background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family);
  font-size: var(--vscode-font-size);
}
#app { display: flex; flex-direction: column; height: 100%; }
.toolbar {
  display: flex; gap: 12px; align-items: center; flex-wrap: wrap;
  padding: 6px 10px; border-bottom: 1px solid var(--vscode-panel-border);
}
.toolbar select {
  color: var(--vscode-dropdown-foreground); background: var(--vscode-dropdown-background);
  border: 1px solid var(--vscode-dropdown-border); max-width: 420px;
}
.toolbar label { display: flex; gap: 4px; align-items: center; }
.status { color: var(--vscode-descriptionForeground); }
.message { padding: 16px; color: var(--vscode-descriptionForeground); }
.lifeline-header {
  position: relative; height: 28px; flex: none; overflow: hidden;
  border-bottom: 1px solid var(--vscode-panel-border);
}
.lifeline-header span {
  position: absolute; top: 6px; transform: translateX(-50%); white-space: pre;
  font-family: var(--vscode-editor-font-family); font-weight: bold;
}
.scroller { position: relative; flex: 1; overflow: auto; outline: none; }
.scroller:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: -1px; }
.sizer { position: absolute; left: 0; top: 0; width: 1px; }
svg.diagram { position: absolute; left: 0; font-family: var(--vscode-editor-font-family); font-size: 11px; }
.lifeline { stroke: var(--vscode-editor-foreground); stroke-width: 1.5; }
.arrow { cursor: pointer; }
.arrow line { stroke: var(--vscode-editor-foreground); stroke-width: 1.2; }
.arrow path { fill: var(--vscode-editor-foreground); }
.arrow text { fill: var(--vscode-editor-foreground); }
.arrow.warning line { stroke: var(--vscode-editorWarning-foreground); }
.arrow.warning path, .marker.warning { fill: var(--vscode-editorWarning-foreground); }
.arrow.error line { stroke: var(--vscode-editorError-foreground); }
.arrow.error path, .marker.error { fill: var(--vscode-editorError-foreground); }
.marker.information, .marker.hint { fill: var(--vscode-editorInfo-foreground); }
.arrow:hover line { stroke-width: 2.4; }
svg.diagram .arrow line.hit { stroke: transparent; stroke-width: 14; }
.arrow.selected line { stroke: var(--vscode-focusBorder); stroke-width: 3; }
.arrow.selected path { fill: var(--vscode-focusBorder); }
.arrow.selected text { fill: var(--vscode-textLink-activeForeground); font-weight: bold; }
.selection-bar { fill: var(--vscode-editor-selectionBackground); }
.time { fill: var(--vscode-descriptionForeground); }
.state { fill: var(--vscode-textLink-foreground); font-weight: bold; }
.band { cursor: pointer; }
.band rect {
  fill: var(--vscode-editor-inactiveSelectionBackground);
  stroke: var(--vscode-editorWidget-border); stroke-dasharray: 4 2;
}
.band text { fill: var(--vscode-editor-foreground); }
.band.warning rect { stroke: var(--vscode-editorWarning-foreground); }
.band:hover rect, .band.selected rect { stroke: var(--vscode-focusBorder); stroke-dasharray: none; }
.phase-handshake { fill: var(--vscode-diffEditor-insertedTextBackground); }
.phase-data { fill: transparent; }
.phase-teardown { fill: var(--vscode-editor-findRangeHighlightBackground); }
.phase-reset { fill: var(--vscode-diffEditor-removedTextBackground); }
body.vscode-high-contrast .arrow line { stroke-width: 2; }
body.vscode-high-contrast .band rect { stroke: var(--vscode-contrastBorder); }
body.vscode-high-contrast .selection-bar { fill: transparent; stroke: var(--vscode-focusBorder); stroke-dasharray: 3 2; }
`;
