// Generates a synthetic `tcpdump -n` trace of many short HTTP-like connections
// (handshake, request, response in MSS-sized segments, ACKs, FIN teardown),
// interleaved a few at a time, about `bytes` long. Deterministic (seeded).
export function generateTrace(bytes) {
  let seed = 12345;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const lines = [];
  let size = 0;
  let t = 8 * 3600;
  let conn = 0;
  const stamp = () => {
    t += 0.000013 + rand(90) / 1e6;
    const h = Math.floor(t / 3600) % 24;
    const m = Math.floor(t / 60) % 60;
    const s = t % 60;
    return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${s.toFixed(6).padStart(9, '0')}`;
  };
  const push = (line) => {
    lines.push(line);
    size += line.length + 1;
  };
  // A few connections in flight at once, so their lines interleave.
  const active = [];
  const start = () => {
    conn++;
    const c = `10.${(conn >> 8) & 255}.${conn & 255}.${1 + rand(200)}`;
    const s = '192.168.1.80';
    const cp = 30000 + (conn % 30000);
    const isnC = rand(2 ** 31) * 2;
    const isnS = rand(2 ** 31) * 2;
    const steps = [];
    const A = `${c}.${cp} > ${s}.80`;
    const B = `${s}.80 > ${c}.${cp}`;
    steps.push(
      `IP ${A}: Flags [S], seq ${isnC}, win 64240, options [mss 1460,sackOK,TS val 1000 ecr 0,nop,wscale 7], length 0`,
    );
    steps.push(
      `IP ${B}: Flags [S.], seq ${isnS}, ack ${(isnC + 1) >>> 0}, win 65160, options [mss 1460,sackOK,TS val 2000 ecr 1000,nop,wscale 7], length 0`,
    );
    steps.push(`IP ${A}: Flags [.], ack 1, win 502, options [nop,nop,TS val 1001 ecr 2000], length 0`);
    steps.push(
      `IP ${A}: Flags [P.], seq 1:120, ack 1, win 502, options [nop,nop,TS val 1001 ecr 2000], length 119: HTTP: GET / HTTP/1.1`,
    );
    steps.push(`IP ${B}: Flags [.], ack 120, win 509, options [nop,nop,TS val 2001 ecr 1001], length 0`);
    const chunks = 2 + rand(6);
    let off = 1;
    for (let i = 0; i < chunks; i++) {
      const len = i === chunks - 1 ? 1 + rand(1448) : 1448;
      steps.push(
        `IP ${B}: Flags [${i === chunks - 1 ? 'P.' : '.'}], seq ${off}:${off + len}, ack 120, win 509, options [nop,nop,TS val 2002 ecr 1001], length ${len}`,
      );
      off += len;
      if (i % 2 === 1 || i === chunks - 1)
        steps.push(
          `IP ${A}: Flags [.], ack ${off}, win 501, options [nop,nop,TS val 1002 ecr 2002], length 0`,
        );
    }
    steps.push(
      `IP ${A}: Flags [F.], seq 120, ack ${off}, win 501, options [nop,nop,TS val 1003 ecr 2002], length 0`,
    );
    steps.push(
      `IP ${B}: Flags [F.], seq ${off}, ack 121, win 509, options [nop,nop,TS val 2003 ecr 1003], length 0`,
    );
    steps.push(
      `IP ${A}: Flags [.], ack ${off + 1}, win 501, options [nop,nop,TS val 1004 ecr 2003], length 0`,
    );
    active.push(steps);
  };
  while (size < bytes) {
    while (active.length < 3) start();
    const i = rand(active.length);
    const steps = active[i];
    push(`${stamp()} ${steps.shift()}`);
    if (steps.length === 0) active.splice(i, 1);
  }
  return lines.join('\n') + '\n';
}
