"""case store

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 02:12:04.320126
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('citizens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=128), nullable=True),
    sa.Column('blocked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citizens')),
    sa.UniqueConstraint('channel', 'external_id', name=op.f('uq_citizens_channel'))
    )
    op.create_table('departments',
    sa.Column('id', sa.String(length=48), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_departments'))
    )
    op.create_table('dialogue_states',
    sa.Column('key', sa.String(length=96), nullable=False),
    sa.Column('state', sa.String(length=32), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_dialogue_states'))
    )
    op.create_table('processed_updates',
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('update_id', sa.String(length=64), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('channel', 'update_id', name=op.f('pk_processed_updates'))
    )
    op.create_index(op.f('ix_processed_updates_processed_at'), 'processed_updates', ['processed_at'], unique=False)
    op.create_table('ticket_counters',
    sa.Column('day', sa.String(length=8), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_ticket_counters'))
    )
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket', sa.String(length=20), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('summary', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('address', sa.String(length=256), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('request', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('group_size', sa.Integer(), nullable=False),
    sa.Column('representatives', sa.JSON(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.Column('department_id', sa.String(length=48), nullable=True),
    sa.Column('routing_confidence', sa.Float(), nullable=False),
    sa.Column('routing_keywords', sa.JSON(), nullable=False),
    sa.Column('needs_triage', sa.Boolean(), nullable=False),
    sa.Column('steer_channel', sa.String(length=32), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('accused_department_id', sa.String(length=48), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accept_due', sa.Date(), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('conclude_due', sa.Date(), nullable=True),
    sa.Column('extension_days', sa.Integer(), nullable=False),
    sa.Column('concluded_on', sa.Date(), nullable=True),
    sa.Column('answer_received_on', sa.Date(), nullable=True),
    sa.Column('review_request_due', sa.Date(), nullable=True),
    sa.Column('review_due', sa.Date(), nullable=True),
    sa.Column('opinion', sa.String(length=16), nullable=True),
    sa.Column('opinion_text', sa.Text(), nullable=True),
    sa.Column('satisfaction', sa.String(length=8), nullable=True),
    sa.Column('repeat_of_id', sa.Integer(), nullable=True),
    sa.Column('simhash', sa.BigInteger(), nullable=False),
    sa.Column('simhash_band0', sa.Integer(), nullable=False),
    sa.Column('simhash_band1', sa.Integer(), nullable=False),
    sa.Column('simhash_band2', sa.Integer(), nullable=False),
    sa.Column('simhash_band3', sa.Integer(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('similar_checked', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_cases_citizen_id_citizens')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_cases_department_id_departments')),
    sa.ForeignKeyConstraint(['repeat_of_id'], ['cases.id'], name=op.f('fk_cases_repeat_of_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('ticket', name=op.f('uq_cases_ticket'))
    )
    op.create_index('ix_cases_band0', 'cases', ['simhash_band0'], unique=False)
    op.create_index('ix_cases_band1', 'cases', ['simhash_band1'], unique=False)
    op.create_index('ix_cases_band2', 'cases', ['simhash_band2'], unique=False)
    op.create_index('ix_cases_band3', 'cases', ['simhash_band3'], unique=False)
    op.create_index('ix_cases_category_id', 'cases', ['category', 'id'], unique=False)
    op.create_index('ix_cases_citizen_status', 'cases', ['citizen_id', 'status'], unique=False)
    op.create_index('ix_cases_received', 'cases', ['received_at'], unique=False)
    op.create_index(op.f('ix_cases_similar_checked'), 'cases', ['similar_checked'], unique=False)
    op.create_index('ix_cases_status_department', 'cases', ['status', 'department_id'], unique=False)
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('file_name', sa.String(length=256), nullable=False),
    sa.Column('mime_type', sa.String(length=128), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_attachments_case_id_cases')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_attachments_citizen_id_citizens')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    op.create_index(op.f('ix_attachments_case_id'), 'attachments', ['case_id'], unique=False)
    op.create_index(op.f('ix_attachments_citizen_id'), 'attachments', ['citizen_id'], unique=False)
    op.create_table('case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_events_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_events'))
    )
    op.create_index('ix_case_events_case', 'case_events', ['case_id', 'id'], unique=False)
    op.create_index('ix_case_events_kind_at', 'case_events', ['kind', 'at'], unique=False)
    op.create_table('case_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('other_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_links_case_id_cases')),
    sa.ForeignKeyConstraint(['other_id'], ['cases.id'], name=op.f('fk_case_links_other_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_links')),
    sa.UniqueConstraint('case_id', 'other_id', 'kind', name=op.f('uq_case_links_case_id'))
    )
    op.create_index(op.f('ix_case_links_case_id'), 'case_links', ['case_id'], unique=False)
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('buttons', sa.JSON(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=256), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_outbox_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    op.create_index(op.f('ix_outbox_chat_id'), 'outbox', ['chat_id'], unique=False)
    op.create_index('ix_outbox_pending', 'outbox', ['channel', 'sent_at', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_outbox_pending', table_name='outbox')
    op.drop_index(op.f('ix_outbox_chat_id'), table_name='outbox')
    op.drop_table('outbox')
    op.drop_index(op.f('ix_case_links_case_id'), table_name='case_links')
    op.drop_table('case_links')
    op.drop_index('ix_case_events_kind_at', table_name='case_events')
    op.drop_index('ix_case_events_case', table_name='case_events')
    op.drop_table('case_events')
    op.drop_index(op.f('ix_attachments_citizen_id'), table_name='attachments')
    op.drop_index(op.f('ix_attachments_case_id'), table_name='attachments')
    op.drop_table('attachments')
    op.drop_index('ix_cases_status_department', table_name='cases')
    op.drop_index(op.f('ix_cases_similar_checked'), table_name='cases')
    op.drop_index('ix_cases_received', table_name='cases')
    op.drop_index('ix_cases_citizen_status', table_name='cases')
    op.drop_index('ix_cases_category_id', table_name='cases')
    op.drop_index('ix_cases_band3', table_name='cases')
    op.drop_index('ix_cases_band2', table_name='cases')
    op.drop_index('ix_cases_band1', table_name='cases')
    op.drop_index('ix_cases_band0', table_name='cases')
    op.drop_table('cases')
    op.drop_table('ticket_counters')
    op.drop_index(op.f('ix_processed_updates_processed_at'), table_name='processed_updates')
    op.drop_table('processed_updates')
    op.drop_table('dialogue_states')
    op.drop_table('departments')
    op.drop_table('citizens')
