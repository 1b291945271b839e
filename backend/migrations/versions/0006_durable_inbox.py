"""durable inbox of acknowledged updates, running instances

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('update_id', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('chat_key', sa.String(length=96), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replies', sa.JSON(), nullable=True),
    sa.Column('sent_parts', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox')),
    sa.UniqueConstraint('channel', 'update_id', name=op.f('uq_inbox_channel'))
    )
    op.create_index('ix_inbox_chat_open', 'inbox', ['chat_key', 'handled_at', 'seq'], unique=False)
    op.create_index('ix_inbox_open', 'inbox', ['sent_at', 'handled_at'], unique=False)
    op.create_index(op.f('ix_inbox_received_at'), 'inbox', ['received_at'], unique=False)
    op.create_table('instances',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('host', sa.String(length=128), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instances'))
    )
    op.create_index(op.f('ix_instances_seen_at'), 'instances', ['seen_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_instances_seen_at'), table_name='instances')
    op.drop_table('instances')
    op.drop_index(op.f('ix_inbox_received_at'), table_name='inbox')
    op.drop_index('ix_inbox_open', table_name='inbox')
    op.drop_index('ix_inbox_chat_open', table_name='inbox')
    op.drop_table('inbox')
