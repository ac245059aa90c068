from pathlib import Path

import aiosql

SQL_DIR = Path(__file__).parent / "sql"
queries = aiosql.from_path(SQL_DIR, "psycopg2")
