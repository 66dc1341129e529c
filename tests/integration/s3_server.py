"""A real S3 endpoint for the tests: moto's server on loopback, spoken to over HTTP like MinIO."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from moto.server import ThreadedMotoServer

# moto accepts any credentials; fixed fake ones keep boto3 from looking for real ones.
ACCESS_KEY = "testing-access-key"
SECRET_KEY = "testing-secret-key"


@contextmanager
def moto_s3_server() -> Iterator[str]:
    """Runs moto on 127.0.0.1 on a free port (threaded, so concurrent requests are served concurrently)
    and yields its endpoint URL; stopped on exit. Its state lives in this process: tests isolate
    themselves with a bucket of their own rather than by resetting it."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()
