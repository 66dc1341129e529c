"""Outbound HTTP and sockets made on a user's behalf: the outbound guard and the connections that go through it."""
