"""let a claim be of any programme and name its payee

A claim's kind is the key of the programme it belongs to (up to 40 characters); payee_type and
payee_id say whom it pays: the worker (every existing claim), an employer or an agency.

Revision ID: e2a8d16063e0
Revises: c278da68e416
Create Date: 2026-12-02 05:40:39.361664

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e2a8d16063e0'
down_revision = 'c278da68e416'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payee_type', sa.String(length=10), server_default='worker', nullable=False))
        batch_op.add_column(sa.Column('payee_id', sa.Integer(), nullable=True))
        batch_op.alter_column('kind',
               existing_type=sa.VARCHAR(length=10),
               type_=sa.String(length=40),
               existing_nullable=False)


def downgrade():
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.alter_column('kind',
               existing_type=sa.String(length=40),
               type_=sa.VARCHAR(length=10),
               existing_nullable=False)
        batch_op.drop_column('payee_id')
        batch_op.drop_column('payee_type')

