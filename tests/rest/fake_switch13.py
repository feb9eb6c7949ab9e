"""A fake OpenFlow 1.3 switch for the REST tests (Python standard library
only): it says hello, answers the handshake (features, port description),
echo and barrier requests, and can send port-status messages. main is set
once the controller sends set-config (the handshake is over);
echo_replies counts the echo requests it answered."""
import socket
import struct
import threading


def ofp_header(type_, length, xid):
    return struct.pack("!BBHI", 4, type_, length, xid)


def ofp_port(no, name, state=0, config=0):
    mac = bytes([0x02, 0, 0, 0, 0, no])
    return struct.pack("!I4x6s2x16sIIIIIIII", no, mac, name.encode(), config, state, 0, 0, 0, 0, 0, 0)


class Switch:
    def __init__(self, port, dpid, ports=(), timeout=10):
        self.dpid = dpid
        self.ports = list(ports)
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.lock = threading.Lock()
        self.main = threading.Event()
        self.echo_replies = 0
        self.send(ofp_header(0, 16, 1) + struct.pack("!HHI", 1, 8, 1 << 4))  # hello, 1.3 only
        threading.Thread(target=self.read_loop, daemon=True).start()

    def send(self, data):
        with self.lock:
            self.sock.sendall(data)

    def read_loop(self):
        buf = b""
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            if not data:
                return
            buf += data
            while len(buf) >= 8:
                _, type_, length, xid = struct.unpack("!BBHI", buf[:8])
                if len(buf) < length:
                    break
                msg, buf = buf[:length], buf[length:]
                self.handle(type_, xid, msg)

    def handle(self, type_, xid, msg):
        if type_ == 5:  # features request
            self.send(ofp_header(6, 32, xid) + struct.pack("!QIBBxxII", self.dpid, 0, 1, 0, 0, 0))
        elif type_ == 18 and struct.unpack("!H", msg[8:10])[0] == 13:  # port-desc request
            body = b"".join(ofp_port(n, name) for n, name in self.ports)
            self.send(ofp_header(19, 16 + len(body), xid) + struct.pack("!HH4x", 13, 0) + body)
        elif type_ == 9:  # set-config: the handshake is over
            self.main.set()
        elif type_ == 2:  # echo request
            self.send(ofp_header(3, len(msg), xid) + msg[8:])
            self.echo_replies += 1
        elif type_ == 20:  # barrier request
            self.send(ofp_header(21, 8, xid))

    def port_status(self, reason, no, name, state=0, config=0):
        body = struct.pack("!B7x", reason) + ofp_port(no, name, state, config)
        self.send(ofp_header(12, 8 + len(body), 99) + body)

    def close(self):
        self.sock.close()
