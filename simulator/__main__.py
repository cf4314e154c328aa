"""`python -m simulator serve --seed 7 --port 8765`: serve a simulated org until Ctrl-C."""

from __future__ import annotations

import argparse
import time

from simulator.generator import generate_org
from simulator.server import SandboxServer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m simulator")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the simulated GitHub API on 127.0.0.1")
    serve.add_argument("--seed", type=int, default=7)
    serve.add_argument("--teams", type=int, default=6)
    serve.add_argument("--months", type=int, default=12)
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--rate-limit", type=int, default=5000)
    serve.add_argument("--latency-ms", type=int, default=0)
    args = parser.parse_args(argv)
    org = generate_org(seed=args.seed, teams=args.teams, months=args.months)
    with SandboxServer(org, port=args.port, rate_limit=args.rate_limit,
                       latency_ms=args.latency_ms) as srv:
        # the token is printed on purpose: this is a local sandbox and the user needs it
        print(f"base_url: {srv.base_url}\ntoken: {srv.token}", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
