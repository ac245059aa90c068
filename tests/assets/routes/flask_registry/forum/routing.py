class Routes:
    """A registry object that holds the blueprint: its rules are made from its own state, which
    the routes analyzer does not follow."""

    def __init__(self, blueprint):
        self.blueprint = blueprint

    def add(self, rules, view):
        for rule in rules:
            self.blueprint.add_url_rule(rule, view_func=view)
