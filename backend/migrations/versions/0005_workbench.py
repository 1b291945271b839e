"""the district office's workbench: registration by staff, assignment, leaders, reception days,
零报告, matter groups, list sorts and searches

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_CASE_COLUMNS = (
    sa.Column('source', sa.String(length=16), nullable=False, server_default='chat'),
    sa.Column('phone_tail', sa.String(length=4), nullable=True),
    sa.Column('letter_date', sa.Date(), nullable=True),
    sa.Column('first_handler', sa.String(length=64), nullable=True),
    sa.Column('assignee', sa.String(length=64), nullable=True),
    sa.Column('leader', sa.String(length=64), nullable=True),
    sa.Column('assisting', sa.JSON(), nullable=False, server_default='[]'),
    sa.Column('supervise_due', sa.Date(), nullable=True),
    sa.Column('reopen_count', sa.Integer(), nullable=False, server_default='0'),
    sa.Column('group_id', sa.Integer(), nullable=True),
)
_CASE_INDEXES = (
    ('ix_cases_received_id', ['received_at', 'id'], {}),
    ('ix_cases_department_id', ['department_id', 'id'], {}),
    ('ix_cases_due_id', ['due_on', 'id'], {}),
    ('ix_cases_assignee_id', ['assignee', 'id'], {}),
    ('ix_cases_leader_id', ['leader', 'id'], {}),
    ('ix_cases_group', ['group_id'], {}),
    ('ix_cases_supervise', ['supervise_due'], {}),
    ('ix_cases_phone_tail', ['phone_tail', 'id'], {}),
    ('ix_cases_ticket_prefix', ['ticket'], {'postgresql_ops': {'ticket': 'varchar_pattern_ops'}}),
    ('ix_cases_name_prefix', ['name'], {'postgresql_ops': {'name': 'varchar_pattern_ops'}}),
)


def upgrade() -> None:
    for column in _CASE_COLUMNS:
        op.add_column('cases', column)
    # the last four digits of the phone numbers already on file (search by them)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("UPDATE cases SET phone_tail = right(regexp_replace(phone, '\\D', '', 'g'), 4) WHERE phone IS NOT NULL")
    else:
        op.execute("UPDATE cases SET phone_tail = substr(replace(replace(phone, '-', ''), ' ', ''), -4) WHERE phone IS NOT NULL")
    op.execute("UPDATE cases SET source = 'demo' WHERE channel = 'demo'")
    op.drop_index('ix_cases_received', table_name='cases')
    op.drop_index('ix_cases_due', table_name='cases')
    for name, columns, options in _CASE_INDEXES:
        op.create_index(name, 'cases', columns, unique=False, **options)
    op.create_table('case_assists',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.String(length=48), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_assists_case_id_cases')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_case_assists_department_id_departments')),
    sa.PrimaryKeyConstraint('case_id', 'department_id', name=op.f('pk_case_assists'))
    )
    op.create_index('ix_case_assists_department', 'case_assists', ['department_id', 'case_id'], unique=False)
    op.create_table('staff_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_staff_notices_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_notices')),
    sa.UniqueConstraint('case_id', 'kind', name=op.f('uq_staff_notices_case_id'))
    )
    op.create_table('reception_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('leader', sa.String(length=64), nullable=False),
    sa.Column('place', sa.String(length=128), nullable=False),
    sa.Column('topics', sa.String(length=256), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reception_days'))
    )
    op.create_index(op.f('ix_reception_days_day'), 'reception_days', ['day'], unique=False)
    op.create_table('sensitive_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sensitive_periods'))
    )
    op.create_index(op.f('ix_sensitive_periods_start_on'), 'sensitive_periods', ['start_on'], unique=False)
    op.create_table('zero_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('department_id', sa.String(length=48), nullable=False),
    sa.Column('incidents', sa.JSON(), nullable=False),
    sa.Column('submitted_by', sa.String(length=64), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_zero_reports_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zero_reports')),
    sa.UniqueConstraint('day', 'department_id', name=op.f('uq_zero_reports_day'))
    )


def downgrade() -> None:
    op.drop_table('zero_reports')
    op.drop_index(op.f('ix_sensitive_periods_start_on'), table_name='sensitive_periods')
    op.drop_table('sensitive_periods')
    op.drop_index(op.f('ix_reception_days_day'), table_name='reception_days')
    op.drop_table('reception_days')
    op.drop_table('staff_notices')
    op.drop_index('ix_case_assists_department', table_name='case_assists')
    op.drop_table('case_assists')
    for name, _, _ in reversed(_CASE_INDEXES):
        op.drop_index(name, table_name='cases')
    op.create_index('ix_cases_due', 'cases', ['due_on'], unique=False)
    op.create_index('ix_cases_received', 'cases', ['received_at'], unique=False)
    with op.batch_alter_table('cases') as batch:
        for column in reversed(_CASE_COLUMNS):
            batch.drop_column(column.name)
