"""say which kind of employer takes people on

enterprise (every existing employer), workshop (就业帮扶车间), base (就业帮扶基地) or public_post
(公益性岗位): programmes pay by it (spec/programmes.md).

Revision ID: 1ac34cf18f40
Revises: e2a8d16063e0
Create Date: 2026-12-02 05:56:33.749508

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1ac34cf18f40'
down_revision = 'e2a8d16063e0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('employers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=12), server_default='enterprise', nullable=False))


def downgrade():
    with op.batch_alter_table('employers', schema=None) as batch_op:
        batch_op.drop_column('kind')

