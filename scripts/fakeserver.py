"""Serving a fake provider API on loopback: shared by fake_stripe.py, fake_paypal.py, fake_braintree.py.

Test peers only. The bound port is written atomically to `port_file`, so a test can start a fake on
port 0 and wait for the file.
"""
import os
import sys
from http.server import ThreadingHTTPServer


def serve(handler, port, port_file, name, on_bound=None):
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    bound = server.server_address[1]
    if on_bound:
        on_bound(bound)
    if port_file:
        with open(port_file + ".tmp", "w") as f:
            f.write("%d\n" % bound)
        os.replace(port_file + ".tmp", port_file)
    sys.stderr.write("%s listening on http://127.0.0.1:%d\n" % (name, bound))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
