"""gunicorn settings every way of serving the hub shares (``make run``, the benchmarks, the
conformance runner, a deployment started from this directory); gunicorn reads this file from
the working directory by itself. Command-line flags still win.

keepalive: gunicorn closes an idle keep-alive connection after 2 s by default, while HTTP
clients keep idle sockets for reuse longer (Node's global agent 5 s, urllib3 until the server
closes). A request sent on a socket at the moment the server closes it gets ECONNRESET; the ADL
suite's HTTP helper drops such a request without a callback, so its whole run hangs. With the
server keeping connections longer than its clients do, the client always closes first. 75 s is
the common choice of load balancers (it must exceed theirs when one sits in front).
"""

keepalive = 75
