"""case tallies: the year's statistics from monthly counts kept by triggers (PostgreSQL)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# the local month of a case, as the dashboard counts it (XINFANG_TIMEZONE's default; statistics
# asked in another zone count the cases themselves)
_KEYS = (
    "to_char(timezone('Asia/Shanghai', received_at), 'YYYY-MM'), coalesce(category, ''), "
    "coalesce(status, ''), coalesce(department_id, ''), coalesce(accused_department_id, '')"
)

# one statement per statement, not per row: a COPY of a million cases adds a few hundred groups.
# Rows are added in key order so that two transactions moving cases between the same groups lock
# them in the same order (no deadlock).
_FUNCTION = f"""
CREATE OR REPLACE FUNCTION case_tallies_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM case_tallies;
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO case_tallies AS t (month, category, status, department_id, accused_department_id, n)
    SELECT {_KEYS}, count(*) FROM new_rows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (month, category, status, department_id, accused_department_id) DO UPDATE SET n = t.n + excluded.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO case_tallies AS t (month, category, status, department_id, accused_department_id, n)
    SELECT {_KEYS}, -count(*) FROM old_rows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (month, category, status, department_id, accused_department_id) DO UPDATE SET n = t.n + excluded.n;
  ELSE
    INSERT INTO case_tallies AS t (month, category, status, department_id, accused_department_id, n)
    SELECT k1, k2, k3, k4, k5, sum(d) FROM (
      SELECT {_KEYS}, 1 AS d FROM new_rows
      UNION ALL
      SELECT {_KEYS}, -1 AS d FROM old_rows
    ) AS moved (k1, k2, k3, k4, k5, d)
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (month, category, status, department_id, accused_department_id) DO UPDATE SET n = t.n + excluded.n;
  END IF;
  RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_table('case_tallies',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('department_id', sa.String(length=64), nullable=False),
    sa.Column('accused_department_id', sa.String(length=64), nullable=False),
    sa.Column('n', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint(
        'month', 'category', 'status', 'department_id', 'accused_department_id', name=op.f('pk_case_tallies')
    ),
    )
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(_FUNCTION)
    op.execute(
        "CREATE TRIGGER cases_tally_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION case_tallies_apply()"
    )
    op.execute(
        "CREATE TRIGGER cases_tally_update AFTER UPDATE ON cases REFERENCING OLD TABLE AS old_rows "
        "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION case_tallies_apply()"
    )
    op.execute(
        "CREATE TRIGGER cases_tally_delete AFTER DELETE ON cases REFERENCING OLD TABLE AS old_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION case_tallies_apply()"
    )
    op.execute(
        "CREATE TRIGGER cases_tally_truncate AFTER TRUNCATE ON cases "
        "FOR EACH STATEMENT EXECUTE FUNCTION case_tallies_apply()"
    )
    op.execute(
        "INSERT INTO case_tallies (month, category, status, department_id, accused_department_id, n) "
        f"SELECT {_KEYS}, count(*) FROM cases GROUP BY 1, 2, 3, 4, 5"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for kind in ('insert', 'update', 'delete', 'truncate'):
            op.execute(f"DROP TRIGGER IF EXISTS cases_tally_{kind} ON cases")
        op.execute("DROP FUNCTION IF EXISTS case_tallies_apply()")
    op.drop_table('case_tallies')
