from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine

metadata = MetaData()
orders = Table("orders", metadata, Column("id", Integer, primary_key=True), Column("sku", String), Column("qty", Integer))
stock = Table("stock", metadata, Column("sku", String, primary_key=True), Column("qty", Integer))
engine = create_engine("sqlite://")


def create_schema():
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(stock.insert(), [{"sku": "tea", "qty": 10}, {"sku": "cup", "qty": 3}])
