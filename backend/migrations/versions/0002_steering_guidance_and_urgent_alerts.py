"""steering guidance and urgent alerts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 02:22:26.372091
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('guidance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('cues', sa.JSON(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_guidance_case_id_cases')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_guidance_citizen_id_citizens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guidance'))
    )
    op.create_index('ix_guidance_channel_at', 'guidance', ['channel', 'at'], unique=False)
    op.create_index(op.f('ix_guidance_citizen_id'), 'guidance', ['citizen_id'], unique=False)
    op.create_table('urgent_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('kinds', sa.JSON(), nullable=False),
    sa.Column('excerpt', sa.Text(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handled_by', sa.String(length=64), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_urgent_alerts_case_id_cases')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_urgent_alerts_citizen_id_citizens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_urgent_alerts'))
    )
    op.create_index(op.f('ix_urgent_alerts_citizen_id'), 'urgent_alerts', ['citizen_id'], unique=False)
    op.create_index('ix_urgent_alerts_open', 'urgent_alerts', ['handled_at', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_urgent_alerts_open', table_name='urgent_alerts')
    op.drop_index(op.f('ix_urgent_alerts_citizen_id'), table_name='urgent_alerts')
    op.drop_table('urgent_alerts')
    op.drop_index(op.f('ix_guidance_citizen_id'), table_name='guidance')
    op.drop_index('ix_guidance_channel_at', table_name='guidance')
    op.drop_table('guidance')
