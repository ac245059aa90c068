"""Command line entry point.

    python -m sample_monolith [serve] [--host 127.0.0.1] [--port 8000]
    python -m sample_monolith seed
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from sample_monolith.config import Settings


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sample_monolith", description="Sample Shop monolith")
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", help="run the HTTP server (default)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--database-url", help="overrides SHOP_DATABASE_URL")
    serve.add_argument("--log-level", default=None)
    serve.add_argument("--no-scheduler", action="store_true", help="do not run background jobs")

    seed = sub.add_parser("seed", help="load demo categories, products, stock and a demo customer")
    seed.add_argument("--database-url", help="overrides SHOP_DATABASE_URL")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0].startswith("-") and args_list[0] not in {"-h", "--help"}:
        args_list.insert(0, "serve")
    args = _build_parser().parse_args(args_list)

    settings = Settings.from_env()
    if args.database_url:
        settings = settings.with_overrides(database_url=args.database_url)
    logging.basicConfig(level=getattr(logging, (getattr(args, "log_level", None) or settings.log_level).upper()))

    if args.command == "seed":
        from sample_monolith.seed import DEMO_EMAIL, DEMO_PASSWORD, seed

        created = seed(settings)
        print(f"seeded {created} into {settings.database_url}")
        print(f"demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}")
        return 0

    import uvicorn

    from sample_monolith.app import create_app

    if args.no_scheduler:
        settings = settings.with_overrides(scheduler_enabled=False)
    if args.log_level:
        settings = settings.with_overrides(log_level=args.log_level)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level=settings.log_level)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
