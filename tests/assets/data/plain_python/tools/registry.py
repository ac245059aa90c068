"""Look-alikes of ORM code that are not ORM code."""

from rich.table import Table

SUMMARY = Table("Name", "Value")


class Model:
    """A machine-learning model, not a table."""

    objects: list = []

    def save(self, path: str) -> None:
        self.path = path


class Base:
    pass


class Widget(Base):
    name = "widget"


def select(*items):
    return list(items)


def train(options: dict) -> Model:
    options.update(epochs=3)
    model = Model()
    model.save("/tmp/model")
    chosen = select(Model, Widget)
    query = "SELECT name FROM widgets"
    return model if chosen and query else Model()
