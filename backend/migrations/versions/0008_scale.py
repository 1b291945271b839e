"""scale: the shared Telegram send budget

Revision ID: 0008
Revises: 0005
Create Date: 2026-11-25 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0005'
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


def downgrade() -> None:
    op.drop_table('send_chats')
    op.drop_table('send_budget')
