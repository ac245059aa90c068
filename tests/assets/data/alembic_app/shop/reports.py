def unpaid(connection):
    return connection.execute("SELECT o.id FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE NOT o.paid")


def archive(connection):
    connection.execute("INSERT INTO audit (note) VALUES ('archived')")
    connection.execute("DELETE FROM legacy_things")  # dropped by a later migration: no table
