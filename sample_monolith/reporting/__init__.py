"""Reporting: sales analytics for the back office.

Daily totals are maintained incrementally from events; ad-hoc reports read
the orders tables directly (ORM and hand-written SQL).
"""
