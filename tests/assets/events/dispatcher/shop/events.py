from dataclasses import dataclass


@dataclass
class OrderPlaced:
    order_id: int
