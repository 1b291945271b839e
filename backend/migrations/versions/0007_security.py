"""hardening: server-side staff sessions, the sign-in throttle in the database, and an audit log
of personal-data views kept apart from the case timeline

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staff_sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('csrf', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_staff_sessions_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_sessions'))
    )
    op.create_index('ix_staff_sessions_staff', 'staff_sessions', ['staff_id'], unique=False)
    op.create_index('ix_staff_sessions_expires', 'staff_sessions', ['expires_at'], unique=False)
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    op.create_index(op.f('ix_login_throttle_window_start'), 'login_throttle', ['window_start'], unique=False)
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_audit_log_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index('ix_audit_log_case', 'audit_log', ['case_id', 'id'], unique=False)
    op.create_index('ix_audit_log_actor_at', 'audit_log', ['actor', 'at'], unique=False)
    # the views recorded so far leave the timeline for the audit log
    op.execute(
        "INSERT INTO audit_log (at, actor, action, case_id, note) "
        "SELECT at, actor, 'view', case_id, note FROM case_events WHERE kind = 'viewed_pii' ORDER BY id"
    )
    op.execute("DELETE FROM case_events WHERE kind = 'viewed_pii'")


def downgrade() -> None:
    op.execute(
        "INSERT INTO case_events (case_id, at, actor, kind, note, data) "
        "SELECT case_id, at, actor, 'viewed_pii', note, '{}' FROM audit_log WHERE case_id IS NOT NULL ORDER BY id"
    )
    op.drop_index('ix_audit_log_actor_at', table_name='audit_log')
    op.drop_index('ix_audit_log_case', table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_index(op.f('ix_login_throttle_window_start'), table_name='login_throttle')
    op.drop_table('login_throttle')
    op.drop_index('ix_staff_sessions_expires', table_name='staff_sessions')
    op.drop_index('ix_staff_sessions_staff', table_name='staff_sessions')
    op.drop_table('staff_sessions')
