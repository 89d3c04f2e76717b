import struct, socket, sys
def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b)//2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff
F,S,R,P,A,U,E,W = 1,2,4,8,16,32,64,128
def opt_mss(v): return struct.pack('!BBH',2,4,v)
def opt_ws(v): return struct.pack('!BBB',3,3,v)
def opt_sackok(): return b'\x04\x02'
def opt_ts(a,b): return struct.pack('!BBII',8,10,a,b)
def opt_sack(blocks): return struct.pack('!BB',5,2+8*len(blocks)) + b''.join(struct.pack('!II',l,r) for l,r in blocks)
def nop(): return b'\x01'
def pad(o):
    while len(o) % 4: o += b'\x01'
    return o
def tcp(src,dst,sport,dport,seq,ack,flags,win,opts=b'',payload=b'',urg=0,tos=0,badsum=False,vlan=None,v6=False):
    opts = pad(opts)
    off = (20+len(opts))//4
    hdr = struct.pack('!HHIIBBHHH', sport, dport, seq & 0xffffffff, ack & 0xffffffff, off<<4 | ((flags>>8)&1), flags & 0xff, win, 0, urg) + opts
    seg = hdr + payload
    if v6:
        s6, d6 = socket.inet_pton(socket.AF_INET6, src), socket.inet_pton(socket.AF_INET6, dst)
        ph = s6 + d6 + struct.pack('!IxxxB', len(seg), 6)
    else:
        ph = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack('!BBH', 0, 6, len(seg))
    c = csum(ph + seg)
    if badsum: c ^= 0x1234
    seg = seg[:16] + struct.pack('!H', c) + seg[18:]
    if v6:
        ip = struct.pack('!IHBB', (6<<28)|(tos<<20), len(seg), 6, 64) + s6 + d6
        et = 0x86dd
    else:
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, tos, 20+len(seg), 0x1234, 0x4000, 64, 6, 0, socket.inet_aton(src), socket.inet_aton(dst))
        ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
        et = 0x0800
    eth = b'\x02\x00\x00\x00\x00\x02' + b'\x02\x00\x00\x00\x00\x01'
    if vlan is not None: eth += struct.pack('!HH', 0x8100, vlan)
    return eth + struct.pack('!H', et) + ip + seg
def write(name, pkts, snap=262144):
    with open(name, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, snap, 1))
        t = 1700000000.0
        for i, p in enumerate(pkts):
            t += 0.001
            cap = p[:snap]
            f.write(struct.pack('<IIII', int(t), int((t % 1) * 1e6), len(cap), len(p)) + cap)
c, s = '10.0.0.1', '10.0.0.2'
ci, si = 4294967000, 100000   # client ISN near 2^32: wraps
tsv = lambda a,b: nop()+nop()+opt_ts(a,b)
pk = []
pk.append(tcp(c,s,40000,80,ci,0,S|E|W,64240,opt_mss(1460)+opt_sackok()+opt_ts(1,0)+nop()+opt_ws(7)))
pk.append(tcp(s,c,80,40000,si,ci+1,S|A|E,65160,opt_mss(1460)+opt_sackok()+opt_ts(2,1)+nop()+opt_ws(7)))
pk.append(tcp(c,s,40000,80,ci+1,si+1,A,502,tsv(3,2)))
pk.append(tcp(c,s,40000,80,ci+1,si+1,P|A,502,tsv(4,2),b'x'*100, tos=2))
pk.append(tcp(s,c,80,40000,si+1,ci+101,A,509,tsv(5,4), tos=3))
# server sends 3 segments of 1000, second lost; client SACKs the third
pk.append(tcp(s,c,80,40000,si+1,ci+101,P|A,509,tsv(6,4),b'a'*1000))
pk.append(tcp(s,c,80,40000,si+2001,ci+101,P|A,509,tsv(7,4),b'c'*1000))
pk.append(tcp(c,s,40000,80,ci+101,si+1001,A,502,tsv(8,7)+nop()+nop()+opt_sack([(si+2001,si+3001)])))
pk.append(tcp(s,c,80,40000,si+1001,ci+101,P|A,509,tsv(9,8),b'b'*1000, badsum=True))
pk.append(tcp(c,s,40000,80,ci+101,si+3001,A,502,tsv(10,9)))
# urgent, FIN, RST with data
pk.append(tcp(c,s,40000,80,ci+101,si+3001,U|P|A,502,b'',b'!', urg=1))
pk.append(tcp(c,s,40000,80,ci+102,si+3001,F|A,502,tsv(11,9)))
pk.append(tcp(s,c,80,40000,si+3001,ci+103,R|A,0,b'',b'reset reason'))
# odd options on a new connection: tfo cookie request, mptcp capable, md5, unknown kind 99, exp-tfo, bad opt length
pk.append(tcp(c,s,40001,443,5000,0,S,64240,opt_mss(1460)+b'\x22\x02'+b'\x1e\x0c\x01\x81'+b'\x01'*8))
pk.append(tcp(c,s,40002,443,6000,0,S,64240,b'\x63\x04\xab\xcd'+b'\x13\x12'+b'\x00'*16))
pk.append(tcp(c,s,40003,443,7000,0,S,64240,b'\xfe\x04\xf9\x89'+b'\x02\x09\x00'))
# mid-stream capture without the SYN-ACK: first ACK-bearing segment creates the entry
pk.append(tcp(c,s,40004,22,9000,0,S,64240,opt_mss(1460)))
pk.append(tcp(c,s,40004,22,9001,777001,A,502))
pk.append(tcp(c,s,40004,22,9001,777001,P|A,502,b'',b'y'*26))
pk.append(tcp(s,c,22,40004,777001,9027,A,509))
# IPv6 and VLAN
pk.append(tcp('2001:db8::1','2001:db8::2',40005,80,1,0,S,64240,opt_mss(1440), tos=2, v6=True))
pk.append(tcp(c,s,40006,80,12345,0,S,64240,opt_mss(1460), vlan=100))
# flags none and christmas
pk.append(tcp(c,s,40007,80,1,2,0,0))
pk.append(tcp(c,s,40007,80,1,2,F|S|R|P|A|U|E|W,512))
write('craft.pcap', pk)
write('trunc.pcap', pk[:8], snap=60)
