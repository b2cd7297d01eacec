"""An HTTP proxy in front of moto that fails a deterministic share of requests, for the retry tests.

Usage: fault_proxy.py UPSTREAM_PORT SLOWDOWN_EVERY DROP_EVERY TRUNCATE_EVERY

Request n (counting from 1) is answered with 503 SlowDown when n % SLOWDOWN_EVERY == 0; otherwise its
connection is closed without an answer when n % DROP_EVERY == 0 (the request never reaches moto);
otherwise a GET answer is cut off after half its body when n % TRUNCATE_EVERY == 0. Everything else is
forwarded unchanged, Host header included, so signatures still verify. 0 disables a fault.

Prints the listening port on one line, then serves until stdin reaches EOF. Then prints the fault counts as `requests=N slowdown=N drop=N truncate=N`.
"""
import http.client
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

UPSTREAM, SLOWDOWN, DROP, TRUNCATE = (int(a) for a in sys.argv[1:5])
lock = threading.Lock()
counters = {"requests": 0, "slowdown": 0, "drop": 0, "truncate": 0}
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade", "te", "trailer"}

SLOWDOWN_BODY = (b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>'
                 b'<Message>Please reduce your request rate.</Message><RequestId>fault-proxy</RequestId></Error>')


def hit(every, n):
    return every > 0 and n % every == 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        with lock:
            counters["requests"] += 1
            n = counters["requests"]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if hit(SLOWDOWN, n):
            with lock:
                counters["slowdown"] += 1
            self.send_response(503)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(SLOWDOWN_BODY)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(SLOWDOWN_BODY)
            return
        if hit(DROP, n):
            with lock:
                counters["drop"] += 1
            self.close_abruptly()
            return
        upstream = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=300)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for k, v in headers.items():
            upstream.putheader(k, v)
        upstream.endheaders(body if body else None)
        response = upstream.getresponse()
        truncate = self.command == "GET" and hit(TRUNCATE, n) and response.status in (200, 206)
        if self.command == "HEAD":
            payload = b""
        elif response.getheader("Content-Length") is None:
            payload = response.read()
        else:
            payload = None
        self.send_response(response.status)
        for k, v in response.getheaders():
            if k.lower() in HOP_BY_HOP or (payload is not None and k.lower() == "content-length"):
                continue
            self.send_header(k, v)
        if payload is not None and self.command != "HEAD":
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command == "HEAD":
            upstream.close()
            return
        if payload is not None:
            self.wfile.write(payload)
            upstream.close()
            return
        remaining = int(response.getheader("Content-Length"))
        cut = remaining // 2 if truncate else None
        sent = 0
        while remaining > 0:
            chunk = response.read(min(65536, remaining))
            if not chunk:
                break
            if cut is not None and sent + len(chunk) >= cut:
                self.wfile.write(chunk[: max(0, cut - sent)])
                with lock:
                    counters["truncate"] += 1
                upstream.close()
                self.close_abruptly()
                return
            self.wfile.write(chunk)
            sent += len(chunk)
            remaining -= len(chunk)
        upstream.close()

    def close_abruptly(self):
        """Resets the connection (RST), as a crashed load balancer would."""
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        self.close_connection = True
        self.connection.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.handle_error = lambda *args: None  # the connections we reset on purpose
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()
    print(" ".join(f"{k}={v}" for k, v in counters.items()), flush=True)


if __name__ == "__main__":
    main()
