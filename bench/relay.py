"""A TCP relay that counts the MySQL-protocol commands a client sends.

bench/orm.py points a connection at it to count the round trips of a
connect. Every client command starts a packet exchange with sequence id 0;
the handshake response (sequence id 1) and authentication packets do not.
The counting relies on the client's packets arriving whole or split at any
point: the relay follows the 4-byte packet headers across reads.
"""

import socket
import threading


class CommandCounter:
    def __init__(self, host, port):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.count = 0
        self.threads = []

    def __enter__(self):
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self.threads.append(thread)
        return self

    def __exit__(self, *exc):
        self.listener.close()
        for thread in self.threads:
            thread.join(timeout=5)

    def commands(self):
        return self.count

    def _accept(self):
        try:
            client, _ = self.listener.accept()
        except OSError:
            return
        upstream = socket.create_connection(self.target)
        back = threading.Thread(target=self._pipe, args=(upstream, client), daemon=True)
        back.start()
        self.threads.append(back)
        self._pipe(client, upstream, count=True)

    def _pipe(self, source, sink, count=False):
        pending = b""
        try:
            while data := source.recv(65536):
                sink.sendall(data)
                if count:
                    pending = self._count(pending + data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _count(self, data):
        """Count whole packets' headers in ``data``; return what is left over."""
        while len(data) >= 4:
            length = int.from_bytes(data[:3], "little")
            if len(data) < 4 + length:
                break
            if data[3] == 0:
                self.count += 1
            data = data[4 + length :]
        return data
