from sqlalchemy.orm import Mapped, mapped_column

from modern import base


class Shipment(base.Entity):
    __tablename__ = "shipments"
    id: Mapped[int] = mapped_column(primary_key=True)
