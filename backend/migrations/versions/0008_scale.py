"""scale: the shared Telegram send budget; staff queries at a million cases

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the budget is transient (a lost row only resets the schedule): no WAL on PostgreSQL
    prefixes = ['UNLOGGED'] if op.get_bind().dialect.name == 'postgresql' else []
    op.create_table('send_budget',
    sa.Column('bot', sa.String(length=64), nullable=False),
    sa.Column('next_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('bot', name=op.f('pk_send_budget')),
    prefixes=prefixes,
    )
    op.create_table('send_chats',
    sa.Column('bot', sa.String(length=64), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('next_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('bot', 'chat_id', name=op.f('pk_send_chats')),
    prefixes=prefixes,
    )


    # statistics and the 督查通报 count a period's cases and conclusions: on PostgreSQL from the
    # index alone (what they count is included in it); queues and counts of open cases by deadline
    postgresql = op.get_bind().dialect.name == 'postgresql'
    op.create_index(
        'ix_cases_concluded', 'cases', ['concluded_on'], unique=False,
        postgresql_include=['conclude_due', 'review_stage', 'satisfaction', 'department_id', 'reopen_count'],
    )
    op.create_index(
        'ix_cases_due_status', 'cases', ['due_on', 'status', 'id'], unique=False,
        postgresql_include=['department_id', 'received_at'],
    )
    if postgresql:
        op.drop_index('ix_cases_received_id', table_name='cases')
        op.create_index(
            'ix_cases_received_id', 'cases', ['received_at', 'id'], unique=False,
            postgresql_include=['category', 'status', 'department_id', 'accused_department_id'],
        )
        # search reads a stored tsvector through its GIN index (the expression index made every
        # row's to_tsvector be computed again wherever the planner walked the table instead)
        op.execute("DROP INDEX IF EXISTS ix_cases_search")
        op.execute(
            "ALTER TABLE cases ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
        )
        op.execute("CREATE INDEX ix_cases_search_vector ON cases USING gin (search_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_cases_received_id', table_name='cases')
        op.create_index('ix_cases_received_id', 'cases', ['received_at', 'id'], unique=False)
        op.execute("DROP INDEX IF EXISTS ix_cases_search_vector")
        op.execute("ALTER TABLE cases DROP COLUMN IF EXISTS search_vector")
        op.execute("CREATE INDEX ix_cases_search ON cases USING gin (to_tsvector('simple', search_text))")
    op.drop_index('ix_cases_due_status', table_name='cases')
    op.drop_index('ix_cases_concluded', table_name='cases')
    op.drop_table('send_chats')
    op.drop_table('send_budget')
