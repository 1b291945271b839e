"""staff dashboard

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 02:42:23.289562
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reference_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=256), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_replies')),
    sa.UniqueConstraint('source_id', name=op.f('uq_reference_replies_source_id'))
    )
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('department_id', sa.String(length=48), nullable=True),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('token_version', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_staff_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('username', name=op.f('uq_staff_username'))
    )
    op.create_table('routing_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('from_category', sa.String(length=32), nullable=True),
    sa.Column('to_category', sa.String(length=32), nullable=False),
    sa.Column('from_department', sa.String(length=48), nullable=True),
    sa.Column('to_department', sa.String(length=48), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('staff', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_routing_corrections_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routing_corrections'))
    )
    op.create_index(op.f('ix_routing_corrections_case_id'), 'routing_corrections', ['case_id'], unique=False)
    op.add_column('cases', sa.Column('due_on', sa.Date(), nullable=True))
    op.add_column('cases', sa.Column('review_stage', sa.Integer(), nullable=False, server_default='0'))
    # cases filed before this revision: their current deadline is the 15-day notice
    op.execute("UPDATE cases SET due_on = accept_due WHERE status = 'registered'")
    if op.get_bind().dialect.name == 'postgresql':
        # full-text search over the jieba words (space-separated): the 'simple' parser splits on spaces
        op.execute("CREATE INDEX ix_cases_search ON cases USING gin (to_tsvector('simple', search_text))")
    op.create_index('ix_cases_department_status_id', 'cases', ['department_id', 'status', 'id'], unique=False)
    op.create_index('ix_cases_due', 'cases', ['due_on'], unique=False)
    op.create_index('ix_cases_status_id', 'cases', ['status', 'id'], unique=False)
    op.create_index('ix_cases_triage', 'cases', ['needs_triage', 'status'], unique=False)
    op.create_index('ix_cases_urgent', 'cases', ['urgent', 'status'], unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_cases_search")
    op.drop_index('ix_cases_urgent', table_name='cases')
    op.drop_index('ix_cases_triage', table_name='cases')
    op.drop_index('ix_cases_status_id', table_name='cases')
    op.drop_index('ix_cases_due', table_name='cases')
    op.drop_index('ix_cases_department_status_id', table_name='cases')
    op.drop_column('cases', 'review_stage')
    op.drop_column('cases', 'due_on')
    op.drop_index(op.f('ix_routing_corrections_case_id'), table_name='routing_corrections')
    op.drop_table('routing_corrections')
    op.drop_table('staff')
    op.drop_table('reference_replies')
