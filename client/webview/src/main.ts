// Diagram webview entry (browser). Replaced by the ladder diagram app.
document.body.textContent = 'TCP Trace Inspector';
