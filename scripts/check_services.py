"""Fail loudly (exit 1) when DATABASE_URL or REDIS_URL is set but unreachable: such a run must not pass by skipping."""

import os
import sys

import dj_database_url


def main() -> int:
    problems = []
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres"):
        problems.append(f"DATABASE_URL must point at PostgreSQL for this pass (got {database_url!r})")
    else:
        import psycopg2

        config = dj_database_url.parse(database_url)
        try:
            psycopg2.connect(dbname=config["NAME"], user=config["USER"], password=config["PASSWORD"],
                             host=config["HOST"], port=config["PORT"] or 5432, connect_timeout=5).close()
        except psycopg2.Error as exc:
            problems.append(f"PostgreSQL at {database_url} is unreachable: {exc}".strip())
    if not redis_url:
        problems.append("REDIS_URL must be set for this pass (the worker tests need Redis)")
    else:
        import redis

        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
        except redis.RedisError as exc:
            problems.append(f"Redis at {redis_url} is unreachable: {exc}")
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
