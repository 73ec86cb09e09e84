"""release a payment batch by a second person

A payment batch is prepared by one finance approver and released (bank file, marked paid, the
bank's result) by another; released_by keeps who that was. Batches from before keep none.

Revision ID: fd61b4c1e622
Revises: 6f68321fabeb
Create Date: 2026-12-02 03:06:43.249148

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fd61b4c1e622'
down_revision = '6f68321fabeb'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('payment_batches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('released_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_payment_batches_released_by_users'), 'users', ['released_by'], ['id'])


def downgrade():
    with op.batch_alter_table('payment_batches', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_payment_batches_released_by_users'), type_='foreignkey')
        batch_op.drop_column('released_by')
