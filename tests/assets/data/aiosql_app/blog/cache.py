class _Store:
    def get_feed(self, conn):
        return None


store = _Store()
